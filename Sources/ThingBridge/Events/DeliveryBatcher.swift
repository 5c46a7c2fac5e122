import Synchronization

/// Gathers concurrent deliveries into one multi-row write.
///
/// The database's ``WriteQueue`` already shares one commit between concurrent writes, but
/// it still runs each write's statements one after another, and every statement is a round
/// trip to the SQLite thread. Under load that, not `fsync`, is the limit. So the store hands
/// whole batches to one write: whoever finds the batcher idle becomes the leader and writes
/// everything pending; while that batch commits, the next one gathers. Each caller returns
/// when the batch holding its delivery has committed (or failed).
final class DeliveryBatcher<Item: Sendable, Output: Sendable>: Sendable {
    typealias Write = @Sendable ([Item]) async throws -> [Output]

    private struct Waiter: Sendable {
        let item: Item
        let continuation: CheckedContinuation<Output, any Error>
    }

    private struct State {
        var pending: [Waiter] = []
        var writing = false
    }

    let maximumBatch: Int
    private let write: Write
    private let state = Mutex(State())

    /// - Parameters:
    ///   - maximumBatch: the most items in one write; 1 makes every item its own write.
    ///   - write: writes items and returns one output per item, in the same order.
    init(maximumBatch: Int, write: @escaping Write) {
        precondition(maximumBatch >= 1, "a batch holds at least one item")
        self.maximumBatch = maximumBatch
        self.write = write
    }

    func submit(_ item: Item) async throws -> Output {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Output, any Error>) in
            let lead = state.withLock { state in
                state.pending.append(Waiter(item: item, continuation: continuation))
                guard !state.writing else { return false }
                state.writing = true
                return true
            }
            if lead {
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while true {
            let batch: [Waiter] = state.withLock { state in
                let batch = Array(state.pending.prefix(maximumBatch))
                state.pending.removeFirst(batch.count)
                if batch.isEmpty { state.writing = false }
                return batch
            }
            if batch.isEmpty { return }
            do {
                let outputs = try await write(batch.map(\.item))
                precondition(outputs.count == batch.count, "a batch write returns one output per item")
                for (waiter, output) in zip(batch, outputs) {
                    waiter.continuation.resume(returning: output)
                }
            } catch {
                for waiter in batch {
                    waiter.continuation.resume(throwing: error)
                }
            }
        }
    }
}
