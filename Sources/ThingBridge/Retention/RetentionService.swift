import Foundation
import Logging
import ServiceLifecycle

/// The background service that applies the ``RetentionPolicy``: every `interval` it prunes
/// what has aged out, in batches of `batchSize` with a pause between them, so webhooks keep
/// their turn on the write path while a large backlog (the first pass after retention is
/// switched on) drains.
public struct RetentionService: Service {
    let store: SQLRetentionStore
    let policy: RetentionPolicy
    let interval: Duration
    let batchSize: Int
    let pause: Duration
    let logger: Logger

    public init(
        store: SQLRetentionStore, policy: RetentionPolicy, interval: Duration = .seconds(60), batchSize: Int = 250,
        pause: Duration = .milliseconds(50), logger: Logger
    ) {
        self.store = store
        self.policy = policy
        self.interval = interval
        self.batchSize = batchSize
        self.pause = pause
        self.logger = logger
    }

    /// What one pass deleted.
    public struct Pass: Sendable, Equatable {
        public var events = 0
        public var deliveries = 0
        public var quarantined = 0
    }

    public func run() async throws {
        guard policy.prunesAnything else {
            // A service that returns would stop the whole group: wait for the shutdown instead.
            try? await gracefulShutdown()
            return
        }
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let pass = try await runOnce()
                    if pass != Pass() {
                        logger.info(
                            "retention pruned old rows",
                            metadata: [
                                "events": .stringConvertible(pass.events), "relay_deliveries": .stringConvertible(pass.deliveries),
                                "quarantined": .stringConvertible(pass.quarantined),
                            ])
                    }
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning("retention pass failed", metadata: ["error": .string(String(describing: error).prefix(200).description)])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// Prunes everything that has aged out at `now`, batch by batch.
    @discardableResult
    public func runOnce(now: Date = Date()) async throws -> Pass {
        var pass = Pass()
        func cutoff(_ days: Int) -> Date { now.addingTimeInterval(-Double(days) * 86_400) }
        if policy.quarantineDays > 0 {
            pass.quarantined = try await drain { try await store.pruneQuarantine(receivedBefore: cutoff(policy.quarantineDays), limit: $0) }
        }
        if policy.relayDays > 0 {
            pass.deliveries = try await drain { try await store.pruneRelay(createdBefore: cutoff(policy.relayDays), limit: $0) }
        }
        if policy.eventsDays > 0 {
            pass.events = try await drain { limit in
                let batch = try await store.pruneEvents(receivedBefore: cutoff(policy.eventsDays), limit: limit)
                pass.deliveries += batch.deliveries
                return batch.deleted
            }
        }
        return pass
    }

    /// Runs `batch` (which deletes up to its limit and says how many it deleted) until a batch
    /// comes back short, pausing between batches; returns how many were deleted in all.
    private func drain(_ batch: (Int) async throws -> Int) async throws -> Int {
        var total = 0
        while true {
            let deleted = try await batch(batchSize)
            total += deleted
            if deleted < batchSize { return total }
            try await Task.sleep(for: pause)
        }
    }
}
