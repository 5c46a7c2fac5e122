import Foundation
import Logging
import ServiceLifecycle

/// The background service that confirms stored order events against the API.
///
/// It works through the persistent queue (events whose `confirmation_status` is `pending`), so
/// a restart loses nothing: it claims due events within the ``RateBudget``, looks each order
/// up, and marks the event confirmed, mismatch (with the differing fields) or not found.
/// Lookups that cannot decide are retried with exponential backoff.
public struct OrderConfirmer: Service {
    /// The fields compared: the ones that do not change during an order's life.
    /// (`status`, `is_shipped` and `modified_date` legitimately move on after the webhook.)
    static let comparedFields = ["id", "thing_id", "amount", "fees", "add_date"]

    let store: any OrderStore
    let lookup: any OrderLookup
    let budget: RateBudget
    let pollInterval: Duration
    let batchSize: Int
    let logger: Logger
    private let wakeup = Wakeup()

    /// - Parameters:
    ///   - budget: lookups allowed; by default half of Thingiverse's 300 per 5 minutes.
    ///   - pollInterval: how often the queue is checked when nothing wakes the confirmer.
    public init(
        store: any OrderStore,
        lookup: any OrderLookup,
        budget: RateBudget = RateBudget(count: 150, period: .seconds(300)),
        pollInterval: Duration = .seconds(5),
        batchSize: Int = 20,
        logger: Logger
    ) {
        (self.store, self.lookup, self.budget) = (store, lookup, budget)
        (self.pollInterval, self.batchSize, self.logger) = (pollInterval, batchSize, logger)
    }

    /// Tells the confirmer that an event is waiting, so it does not wait for the next poll.
    public func eventAwaitsConfirmation() {
        wakeup.signal()
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                var worked = 0
                do {
                    worked = try await runOnce()
                } catch {
                    logger.warning("order confirmation pass failed", metadata: ["error": .string(String(describing: error).prefix(200).description)])
                }
                if worked == 0 {
                    await wakeup.wait(upTo: pollInterval)
                } else {
                    let wait = budget.waitForNext()
                    if wait > .zero { try? await Task.sleep(for: wait) }
                }
            }
        }
    }

    /// One pass over the due events, within the budget. Returns how many were looked up.
    @discardableResult
    public func runOnce(now: Date = Date()) async throws -> Int {
        let granted = budget.take(upTo: batchSize)
        guard granted > 0 else { return 0 }
        let tasks = try await store.claimDueConfirmations(limit: granted, now: now, lease: .seconds(120))
        budget.giveBack(granted - tasks.count)
        for task in tasks {
            let result = await confirm(task, now: now)
            try await store.completeConfirmation(eventID: task.eventID, result: result, now: now)
            logger.debug("order event checked", metadata: ["event.id": .stringConvertible(task.eventID), "result": .string("\(result)")])
        }
        return tasks.count
    }

    func confirm(_ task: ConfirmationTask, now: Date) async -> ConfirmationResult {
        do {
            switch try await lookup.order(id: task.order.id) {
            case .notFound:
                return .notFound
            case .found(let apiOrder):
                let differences = Self.differences(webhook: task.order, api: apiOrder)
                return differences.isEmpty ? .confirmed : .mismatch(differences)
            }
        } catch OrderLookupError.unreadableOrder(let reason) {
            return .mismatch([FieldDifference(field: "order", webhook: nil, api: reason)])
        } catch {
            var delay = Self.backoff(attempts: task.attempts)
            if let error = error as? UpstreamError, case .rateLimited(let retryAfter?) = error.kind {
                delay = max(delay, .seconds(retryAfter))
            }
            let seconds = Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
            return .retry(at: now.addingTimeInterval(seconds), reason: String(describing: error).prefix(200).description)
        }
    }

    /// 10 s, 20 s, 40 s ... capped at one hour, with up to 10% jitter so retries spread out.
    static func backoff(attempts: Int) -> Duration {
        let base = min(10.0 * pow(2.0, Double(min(attempts, 20))), 3600)
        return .milliseconds(Int64(base * 1000 * Double.random(in: 1.0...1.1)))
    }

    /// The compared fields on which the webhook and the API disagree; a field either side
    /// leaves out is not compared.
    static func differences(webhook: OrderDetails, api: OrderDetails) -> [FieldDifference] {
        var differences: [FieldDifference] = []
        func compare<T: Equatable>(_ name: String, _ left: T?, _ right: T?, _ text: (T) -> String) {
            guard let left, let right, left != right else { return }
            differences.append(FieldDifference(field: name, webhook: text(left), api: text(right)))
        }
        compare("id", webhook.id, api.id) { String($0) }
        compare("thing_id", webhook.thingID, api.thingID) { String($0) }
        compare("amount", webhook.amount, api.amount) { $0.text }
        compare("fees", webhook.fees, api.fees) { $0.text }
        compare("add_date", webhook.addDate?.sortable, api.addDate?.sortable) { $0 }
        return differences
    }
}
