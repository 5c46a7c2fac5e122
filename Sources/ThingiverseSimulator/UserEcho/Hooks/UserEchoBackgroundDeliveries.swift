import AsyncHTTPClient
import Logging
import NIOCore
import Synchronization

/// Sends the hooks that API writes cause, each in its own task, with an HTTP client of its
/// own (made on first use: redirects not followed, 10 s timeouts). `shutdown()` waits for the
/// hooks in flight and then shuts that client down; after it, new hooks are dropped. Dropping
/// it without `shutdown()` still shuts the client down, without waiting.
final class UserEchoBackgroundDeliveries: Sendable {
    private struct State {
        var client: HTTPClient?
        var tasks: [Int: Task<Void, Never>] = [:]
        var nextTaskID = 0
        var isShutDown = false
    }

    private let state = Mutex(State())
    private let logger = Logger(label: "ThingiverseSimulator.UserEcho.hooks")

    deinit {
        // Dropped without `shutdown()` (no task can be running: each holds `self`). Start the
        // client's shutdown anyway, so AsyncHTTPClient's debug check does not stop the program.
        if let client = state.withLock({ $0.client }) {
            _ = client.shutdown()
        }
    }

    /// Starts sending each delivery in the background.
    func dispatch(_ deliveries: [UserEchoHookDelivery], webhookKey: String?) {
        for delivery in deliveries {
            state.withLock { state in
                guard !state.isShutDown else {
                    logger.warning("Hook \(delivery.event) to \(delivery.targetURL) dropped: the simulator was shut down.")
                    return
                }
                let client = state.client ?? Self.makeClient()
                state.client = client
                let id = state.nextTaskID
                state.nextTaskID += 1
                // Inserted under the lock the task needs to remove itself, so it cannot finish first.
                state.tasks[id] = Task {
                    await self.deliver(delivery, webhookKey: webhookKey, using: client)
                    self.state.withLock { _ = $0.tasks.removeValue(forKey: id) }
                }
            }
        }
    }

    /// Waits for the hooks in flight, then shuts the client down (if one was made).
    func shutdown() async throws {
        let (tasks, client) = state.withLock { state in
            state.isShutDown = true
            defer { state.client = nil }
            return (Array(state.tasks.values), state.client)
        }
        for task in tasks {
            await task.value
        }
        try await client?.shutdown()
    }

    private func deliver(_ delivery: UserEchoHookDelivery, webhookKey: String?, using client: HTTPClient) async {
        do {
            let status = try await UserEchoHookSender.send(
                delivery.body, to: delivery.targetURL, webhookKey: webhookKey, using: client)
            logger.debug("Hook \(delivery.event) to \(delivery.targetURL) answered \(status).")
        } catch {
            logger.warning("Hook \(delivery.event) to \(delivery.targetURL) failed: \(error)")
        }
    }

    private static func makeClient() -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(5), read: UserEchoHookSender.timeout)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }
}
