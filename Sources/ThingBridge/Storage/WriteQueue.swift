import SQLKit
import Synchronization

/// The single owner of database writes: a group-commit queue.
///
/// Writers enqueue a job and wait. Whoever finds the queue idle becomes the leader and starts a
/// drain task that takes everything pending (up to `maximumBatch`), runs each job in its own
/// savepoint inside one transaction, commits once, and only then answers every job. While one
/// batch commits, the next one gathers: under load many writes share each `fsync`.
/// With `maximumBatch == 1` every write is its own transaction (the benchmark's baseline).
final class WriteQueue: Sendable {
    private struct Job: Sendable {
        let work: @Sendable (any SQLDatabase) async throws -> any Sendable
        let continuation: CheckedContinuation<any Sendable, any Error>
    }

    private struct State {
        var pending: [Job] = []
        var draining = false
    }

    let maximumBatch: Int
    private let state = Mutex(State())

    init(maximumBatch: Int) {
        self.maximumBatch = maximumBatch
    }

    func submit<T: Sendable>(database: Database, _ work: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let result = try await Database.mappingErrors {
            try await self.enqueue(database: database, work)
        }
        // The job's own closure produced this value, so the cast cannot fail.
        return result as! T
    }

    private func enqueue(database: Database, _ work: @escaping @Sendable (any SQLDatabase) async throws -> some Sendable) async throws -> any Sendable {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<any Sendable, any Error>) in
            let job = Job(work: { try await work($0) }, continuation: continuation)
            let startDrain = state.withLock { state in
                state.pending.append(job)
                guard !state.draining else { return false }
                state.draining = true
                return true
            }
            if startDrain {
                Task { await self.drain(database: database) }
            }
        }
    }

    private func drain(database: Database) async {
        while true {
            let batch: [Job] = state.withLock { state in
                let batch = Array(state.pending.prefix(maximumBatch))
                state.pending.removeFirst(batch.count)
                if batch.isEmpty { state.draining = false }
                return batch
            }
            if batch.isEmpty { return }
            await run(batch, database: database)
        }
    }

    private func run(_ batch: [Job], database: Database) async {
        let dialect = database.dialect
        do {
            let outcomes: [Result<any Sendable, any Error>] = try await database.withWriteConnection { sql in
                try await sql.raw(dialect == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN").run()
                do {
                    var outcomes: [Result<any Sendable, any Error>] = []
                    outcomes.reserveCapacity(batch.count)
                    for job in batch {
                        outcomes.append(await Self.runInSavepoint(job, sql: sql, useSavepoint: batch.count > 1))
                    }
                    if batch.count == 1, case .failure = outcomes[0] {
                        try await sql.raw("ROLLBACK").run()
                    } else {
                        try await sql.raw("COMMIT").run()
                    }
                    return outcomes
                } catch {
                    try? await sql.raw("ROLLBACK").run()
                    throw error
                }
            }
            for (job, outcome) in zip(batch, outcomes) {
                job.continuation.resume(with: outcome)
            }
        } catch {
            for job in batch {
                job.continuation.resume(throwing: error)
            }
        }
    }

    private static func runInSavepoint(_ job: Job, sql: any SQLDatabase, useSavepoint: Bool) async -> Result<any Sendable, any Error> {
        guard useSavepoint else {
            do { return .success(try await job.work(sql)) } catch { return .failure(error) }
        }
        do {
            try await sql.raw("SAVEPOINT job").run()
        } catch {
            return .failure(error)
        }
        do {
            let value = try await job.work(sql)
            try await sql.raw("RELEASE SAVEPOINT job").run()
            return .success(value)
        } catch {
            // Undo only this job's changes; the rest of the batch still commits.
            try? await sql.raw("ROLLBACK TO SAVEPOINT job").run()
            try? await sql.raw("RELEASE SAVEPOINT job").run()
            return .failure(error)
        }
    }
}
