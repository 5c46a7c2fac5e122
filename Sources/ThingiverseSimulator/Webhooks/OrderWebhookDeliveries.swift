import AsyncHTTPClient
import Logging
import NIOCore
import Synchronization

/// Sends the order webhooks that API writes cause, each in its own task, with `WebhookSender`
/// over an HTTP client of its own (made on first use: redirects not followed, short timeouts).
/// `shutdown()` waits for those in flight and then shuts that client down; after it, new
/// webhooks are dropped. Dropping it without `shutdown()` still shuts the client down.
final class OrderWebhookDeliveries: Sendable {
    private struct State {
        var client: HTTPClient?
        var tasks: [Int: Task<Void, Never>] = [:]
        var nextTaskID = 0
        var isShutDown = false
        var sent: [SentWebhook] = []
    }

    private let state = Mutex(State())
    private let logger = Logger(label: "ThingiverseSimulator.webhooks")

    deinit {
        // No task can be running here: each holds `self`. Start the client's shutdown anyway, so
        // AsyncHTTPClient's check for clients dropped while running does not stop the program.
        if let client = state.withLock({ $0.client }) {
            _ = client.shutdown()
        }
    }

    /// The webhooks sent so far, oldest first.
    var sent: [SentWebhook] { state.withLock { $0.sent } }

    /// Starts sending each webhook in the background, one task per webhook.
    func dispatch(_ webhooks: [OutgoingWebhook]) {
        for webhook in webhooks {
            state.withLock { state in
                guard !state.isShutDown else {
                    logger.warning("Webhook \(webhook.event) to \(webhook.url) dropped: the simulator was shut down.")
                    return
                }
                let client = state.client ?? Self.makeClient()
                state.client = client
                let id = state.nextTaskID
                state.nextTaskID += 1
                // Inserted under the lock the task needs to remove itself, so it cannot finish first.
                state.tasks[id] = Task {
                    let outcome = await self.deliver(webhook, using: client)
                    self.state.withLock {
                        $0.sent.append(outcome)
                        _ = $0.tasks.removeValue(forKey: id)
                    }
                }
            }
        }
    }

    /// Waits for the webhooks in flight, then shuts the client down (if one was made).
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

    private func deliver(_ webhook: OutgoingWebhook, using client: HTTPClient) async -> SentWebhook {
        do {
            let (status, _) = try await WebhookSender(httpClient: client).send(webhook.body, to: webhook.url)
            logger.debug("Webhook \(webhook.event) to \(webhook.url) answered \(status).")
            return SentWebhook(event: webhook.event, url: webhook.url, status: status, failure: nil)
        } catch {
            logger.warning("Webhook \(webhook.event) to \(webhook.url) failed: \(error)")
            return SentWebhook(event: webhook.event, url: webhook.url, status: nil, failure: "\(error)")
        }
    }

    private static func makeClient() -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(10))
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }
}
