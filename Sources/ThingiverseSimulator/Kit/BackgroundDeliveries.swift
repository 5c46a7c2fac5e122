import AsyncHTTPClient
import Logging
import NIOCore
import Synchronization

/// Something a simulator sends on its own because of an API write: an order webhook, a forum
/// hook. The body is final (a signature covers these exact bytes).
struct OutgoingDelivery: Sendable {
    var event: String
    var url: String
    var body: [UInt8]
}

/// Sends what API writes cause, each in its own task, over an HTTP client of its own (made on
/// first use: no redirects followed, no decompression). `shutdown()` waits for those in flight and then shuts
/// that client down; after it, new deliveries are dropped. Dropping it without `shutdown()`
/// still shuts the client down, without waiting.
final class BackgroundDeliveries: Sendable {
    /// One delivery and how it went: the receiver's status, or why it could not be sent.
    struct Outcome: Sendable {
        var delivery: OutgoingDelivery
        var status: Int?
        var failure: String?
    }

    private struct State {
        var client: HTTPClient?
        var tasks: [Int: Task<Void, Never>] = [:]
        var nextTaskID = 0
        var isShutDown = false
        var outcomes: [Outcome] = []
    }

    private let state = Mutex(State())
    private let logger: Logger
    /// What the log calls a delivery: "Webhook" or "Hook".
    private let noun: String
    private let keepsOutcomes: Bool
    private let clientConfiguration: HTTPClient.Configuration
    private let send: @Sendable (OutgoingDelivery, HTTPClient) async throws -> Int

    /// - Parameters:
    ///   - noun: what the log calls a delivery, e.g. "Webhook"
    ///   - keepsOutcomes: whether `outcomes` remembers each delivery
    ///   - timeouts: the client's connect and read timeouts
    ///   - send: sends one delivery and returns the receiver's status
    init(
        label: String, noun: String, keepsOutcomes: Bool, timeouts: HTTPClient.Configuration.Timeout,
        send: @escaping @Sendable (OutgoingDelivery, HTTPClient) async throws -> Int
    ) {
        self.clientConfiguration = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: timeouts, decompression: .disabled)
        self.logger = Logger(label: label)
        self.noun = noun
        self.keepsOutcomes = keepsOutcomes
        self.send = send
    }

    deinit {
        // No task can be running here: each holds `self`. Start the client's shutdown anyway, so
        // AsyncHTTPClient's check for clients dropped while running does not stop the program.
        if let client = state.withLock({ $0.client }) {
            _ = client.shutdown()
        }
    }

    /// The deliveries made so far, oldest first (when `keepsOutcomes`).
    var outcomes: [Outcome] { state.withLock { $0.outcomes } }

    /// Starts sending each delivery in the background, one task per delivery.
    func dispatch(_ deliveries: [OutgoingDelivery]) {
        for delivery in deliveries {
            state.withLock { state in
                guard !state.isShutDown else {
                    logger.warning("\(noun) \(delivery.event) to \(delivery.url) dropped: the simulator was shut down.")
                    return
                }
                let client = state.client ?? HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
                state.client = client
                let id = state.nextTaskID
                state.nextTaskID += 1
                // Inserted under the lock the task needs to remove itself, so it cannot finish first.
                state.tasks[id] = Task {
                    let outcome = await self.deliver(delivery, using: client)
                    self.state.withLock {
                        if self.keepsOutcomes {
                            $0.outcomes.append(outcome)
                        }
                        _ = $0.tasks.removeValue(forKey: id)
                    }
                }
            }
        }
    }

    /// Waits for the deliveries in flight, then shuts the client down (if one was made).
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

    private func deliver(_ delivery: OutgoingDelivery, using client: HTTPClient) async -> Outcome {
        do {
            let status = try await send(delivery, client)
            logger.debug("\(noun) \(delivery.event) to \(delivery.url) answered \(status).")
            return Outcome(delivery: delivery, status: status, failure: nil)
        } catch {
            logger.warning("\(noun) \(delivery.event) to \(delivery.url) failed: \(error)")
            return Outcome(delivery: delivery, status: nil, failure: "\(error)")
        }
    }
}
