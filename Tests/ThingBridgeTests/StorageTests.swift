import Foundation
import Logging
import SQLKit
import Testing

@testable import ThingBridge

@Suite struct StorageTests {
    @Test(arguments: TestDatabaseKind.available)
    func migratingTwiceIsANoOp(kind: TestDatabaseKind) async throws {
        let database = try await Database.open(kind.makeLocation(), logger: Logger(label: "test"))
        let migrator = Migrator(database: database)
        #expect(try await migrator.currentVersion() == 0)
        let first = try await migrator.migrate()
        #expect(first == Migration.all.map(\.version))
        #expect(try await migrator.currentVersion() == migrator.latestVersion)
        let second = try await migrator.migrate()
        #expect(second.isEmpty)
        let rows = try await database.read { sql in
            try await sql.raw("SELECT COUNT(*) AS n FROM schema_migrations").first()!.decode(column: "n", as: Int.self)
        }
        #expect(rows == Migration.all.count)
        await database.shutdown()
    }

    /// A backfill grows with the history it fills in: migrating is not held to the limit of an
    /// ordinary operation (here 2 s against a 3 s step), which would stop a large database's
    /// upgrade from ever starting. An ordinary write still is.
    /// (The limit is PostgreSQL's alone: on SQLite there is nothing to show.)
    @Test(arguments: TestDatabaseKind.available.filter { $0 == .postgres })
    func aMigrationMayOutlastTheOperationLimit(kind: TestDatabaseKind) async throws {
        let database = try await Database.open(kind.makeLocation(), operationLimit: .seconds(2), logger: Logger(label: "test"))
        let slow = Migration(version: 1, name: "slow backfill", statements: { _ in [] }) { sql in
            try await sql.raw("SELECT pg_sleep(3)").run()
        }
        #expect(try await Migrator(database: database, migrations: [slow]).migrate() == [1])
        await #expect(throws: StorageError.self) {
            try await database.write { sql in try await sql.raw("SELECT pg_sleep(3)").run() }
        }
        await database.shutdown()
    }

    @Test(arguments: TestDatabaseKind.available)
    func aDatabaseNewerThanTheBinaryIsRefused(kind: TestDatabaseKind) async throws {
        let database = try await kind.makeDatabase()
        let future = Migrator(database: database).latestVersion + 5
        try await database.write { sql in
            try await sql.raw("INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(bind: future), 'from the future', 'now')").run()
        }
        await #expect {
            try await Migrator(database: database).migrate()
        } throws: { error in
            guard case StorageError.databaseNewerThanBinary(let found, _) = error else { return false }
            return found == future
        }
        await database.shutdown()
    }

    @Test(arguments: TestDatabaseKind.available)
    func concurrentWritesAllCommitAndAFailingWriteFailsAlone(kind: TestDatabaseKind) async throws {
        // The shared transaction of 100 writes can outlast 5 s on a PostgreSQL loaded by the whole suite.
        let database = try await kind.makeDatabase(operationLimit: .seconds(30))
        try await database.write { sql in try await sql.raw("CREATE TABLE items (id INTEGER PRIMARY KEY, label TEXT NOT NULL)").run() }
        let results = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<100 {
                group.addTask {
                    do {
                        try await database.write { sql in
                            // Every tenth write breaks the primary key and must fail on its own.
                            let id = index % 10 == 9 ? 1 : index + 1
                            try await sql.raw("INSERT INTO items (id, label) VALUES (\(bind: id), \(bind: "item \(index)"))").run()
                        }
                        return true
                    } catch {
                        return false
                    }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        let stored = try await database.read { sql in try await sql.raw("SELECT COUNT(*) AS n FROM items").first()!.decode(column: "n", as: Int.self)
        }
        #expect(results.filter { $0 }.count == stored)
        #expect(stored == 90)
        await database.shutdown()
    }

    @Test func sqliteRunsInWALModeWithFullSync() async throws {
        let database = try await TestDatabaseKind.sqlite.makeDatabase()
        let journal = try await database.write { sql in
            try await sql.raw("PRAGMA journal_mode").first()!.decode(column: "journal_mode", as: String.self)
        }
        let synchronous = try await database.write { sql in
            try await sql.raw("PRAGMA synchronous").first()!.decode(column: "synchronous", as: Int.self)
        }
        #expect(journal == "wal")
        #expect(synchronous == 2)  // FULL
        await database.shutdown()
    }

    @Test func aClosedDatabaseIsUnavailableNotACrash() async throws {
        let database = try await TestDatabaseKind.sqlite.makeDatabase()
        await database.shutdown()
        await #expect(throws: StorageError.self) {
            try await database.ping(timeout: .seconds(1))
        }
        await #expect(throws: StorageError.self) {
            try await database.write { sql in try await sql.raw("SELECT 1").run() }
        }
    }
}
