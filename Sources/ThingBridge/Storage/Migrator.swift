import Foundation
import Logging
import SQLKit

/// Brings a database to the schema this binary expects.
///
/// Applied versions are recorded in `schema_migrations`; migrating twice is a no-op, and a
/// database that is newer than the binary is refused rather than used half-understood.
public struct Migrator: Sendable {
    let database: Database
    let migrations: [Migration]

    init(database: Database, migrations: [Migration] = Migration.all) {
        self.database = database
        self.migrations = migrations
    }

    public init(database: Database) {
        self.init(database: database, migrations: Migration.all)
    }

    /// The newest version this binary knows.
    public var latestVersion: Int { migrations.map(\.version).max() ?? 0 }

    /// How long migrating may take on PostgreSQL: a backfill (version 7 fills the daily figures
    /// from every stored order) grows with the history, so the 5 s of an ordinary operation would
    /// stop an upgrade of a large database from ever starting. The database must first answer a
    /// ping within the ordinary limit, so a server that is down still fails fast.
    static let limit = Duration.seconds(3600)

    /// Applies what is missing and returns the versions applied now (empty when up to date).
    @discardableResult
    public func migrate() async throws -> [Int] {
        let migrations = self.migrations
        let latest = latestVersion
        let dialect = database.dialect
        let logger = database.logger
        try await database.ping(timeout: database.operationLimit)
        return try await database.write(limit: Self.limit) { sql in
            if dialect == .postgres {
                // Two instances starting together must not both apply the same step.
                try await sql.raw("SELECT pg_advisory_xact_lock(7262019)").run()
            }
            try await sql.raw(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    applied_at TEXT NOT NULL
                )
                """
            ).run()
            let applied = Set(try await sql.raw("SELECT version FROM schema_migrations").all().map { try $0.decode(column: "version", as: Int.self) })
            if let newest = applied.max(), newest > latest {
                throw StorageError.databaseNewerThanBinary(databaseVersion: newest, binaryVersion: latest)
            }
            var appliedNow: [Int] = []
            for migration in migrations where !applied.contains(migration.version) {
                if !applied.isEmpty {
                    logger.info("Migrating the database to version \(migration.version) (\(migration.name)); a large one takes a while")
                }
                for statement in migration.statements(dialect) {
                    try await sql.raw(SQLQueryString(statement)).run()
                }
                try await migration.backfill?(sql)
                try await sql.raw(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: Date().ISO8601Format()))"
                ).run()
                appliedNow.append(migration.version)
            }
            return appliedNow
        }
    }

    /// The version the database is at (0 for a new database).
    public func currentVersion() async throws -> Int {
        try await database.read { sql in
            let exists = try await TableCheck.exists("schema_migrations", in: sql)
            guard exists else { return 0 }
            let row = try await sql.raw("SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations").first()
            return try row?.decode(column: "version", as: Int.self) ?? 0
        }
    }
}

/// Asks the catalogue whether a table exists, in either dialect.
enum TableCheck {
    static func exists(_ table: String, in sql: any SQLDatabase) async throws -> Bool {
        let query: SQLQueryString =
            sql.dialect.name == "sqlite"
            ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name = \(bind: table)"
            : "SELECT table_name AS name FROM information_schema.tables WHERE table_name = \(bind: table)"
        return try await sql.raw(query).first() != nil
    }
}
