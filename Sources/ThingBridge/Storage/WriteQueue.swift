import SQLKit

/// The single owner of database writes: a group-commit queue.
///
/// Writers submit a job to the one ``Batcher`` and wait: each batch of pending jobs (up to
/// `maximumBatch`) runs in one transaction, each job in its own savepoint, commits once, and only
/// then answers every job. While one batch commits, the next one gathers: under load many writes
/// share each `fsync`.
/// With `maximumBatch == 1` every write is its own transaction (the benchmark's baseline).
final class WriteQueue: Sendable {
    private struct Job: Sendable {
        let database: Database
        /// How long its batch may take, when not the database's operation limit.
        let limit: Duration?
        let work: @Sendable (any SQLDatabase) async throws -> any Sendable
    }

    private let batcher: Batcher<Job, Result<any Sendable, any Error>>

    var maximumBatch: Int { batcher.maximumBatch }

    init(maximumBatch: Int) {
        batcher = Batcher(maximumBatch: maximumBatch) { jobs in
            try await Self.run(jobs, database: jobs[0].database)
        }
    }

    func submit<T: Sendable>(
        database: Database, limit: Duration? = nil, _ work: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        let outcome = try await Database.mappingErrors {
            try await self.batcher.submit(Job(database: database, limit: limit, work: { try await work($0) }))
        }
        let result = try await Database.mappingErrors { try outcome.get() }
        // The job's own closure produced this value, so the cast cannot fail.
        return result as! T
    }

    /// One transaction for the batch, each job in its own savepoint: one job's failure undoes
    /// only its own changes. A failure of the transaction itself fails the whole batch.
    private static func run(_ batch: [Job], database: Database) async throws -> [Result<any Sendable, any Error>] {
        let dialect = database.dialect
        return try await database.withWriteConnection(limit: batch.compactMap(\.limit).max()) { sql in
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
