import Synchronization

/// The one batcher: gathers concurrent submissions into one write, for every writer that gains
/// from it (the database's group commit, the event store's multi-row inserts, the relay's
/// completions).
///
/// Whoever finds the batcher idle becomes the leader and writes everything pending (up to
/// `maximumBatch`); while that batch is written, the next one gathers. Each caller returns when
/// the batch holding its item has been written (or failed): under load many items share each
/// round trip and each `fsync`.
final class Batcher<Item: Sendable, Output: Sendable>: Sendable {
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
