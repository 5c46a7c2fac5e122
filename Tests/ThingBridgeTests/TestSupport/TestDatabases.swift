import Foundation
import Logging
import SQLKit
import Testing

@testable import ThingBridge

/// The databases a storage test runs on: always a temporary SQLite file, and PostgreSQL when
/// `THINGBRIDGE_TEST_POSTGRES_URL` is set (each test gets its own fresh database there).
enum TestDatabaseKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    static let postgresAdminURL = ProcessInfo.processInfo.environment["THINGBRIDGE_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// The kinds to run: PostgreSQL only when configured. CI sets `THINGBRIDGE_REQUIRE_POSTGRES_TESTS=1`
    /// so that a missing server fails instead of skipping.
    static let available: [TestDatabaseKind] = {
        if postgresAdminURL != nil { return [.sqlite, .postgres] }
        if ProcessInfo.processInfo.environment["THINGBRIDGE_REQUIRE_POSTGRES_TESTS"] == "1" {
            return [.sqlite, .postgres]
        }
        print("NOTICE: PostgreSQL tests skipped: set THINGBRIDGE_TEST_POSTGRES_URL=postgres://user:pass@host:port/db to run them.")
        return [.sqlite]
    }()

    /// A new, empty database location of this kind.
    func makeLocation() async throws -> ThingBridgeConfiguration.DatabaseLocation {
        switch self {
        case .sqlite:
            return .sqlite(path: TestEnvironment.temporaryDirectory() + "/test.sqlite")
        case .postgres:
            let adminURL = try #require(Self.postgresAdminURL, "THINGBRIDGE_REQUIRE_POSTGRES_TESTS=1 but THINGBRIDGE_TEST_POSTGRES_URL is not set")
            // PostgreSQL serializes CREATE DATABASE: dozens of tests starting at once would queue
            // past the 5 s a database operation may take, so the tests create theirs one at a time.
            let name = try await PostgresTestDatabases.shared.one { try await Self.createDatabase(adminURL: adminURL) }
            var components = URLComponents(string: adminURL)!
            components.path = "/" + name
            return .postgres(url: Secret(components.string!))
        }
    }

    /// Creates a new empty database and returns its name: `tb_test_<seconds since 1970>_<random>`.
    private static func createDatabase(adminURL: String) async throws -> String {
        let now = Int(Date().timeIntervalSince1970)
        let name = "tb_test_\(now)_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
        // CREATE DATABASE copies a template and waits for a checkpoint: on a loaded machine it
        // can take longer than the 5 s an operation of the server may.
        let admin = try await Database.open(.postgres(url: Secret(adminURL)), operationLimit: .seconds(30), logger: Logger(label: "test"))
        do {
            if await PostgresTestDatabases.shared.firstCreation() { await dropLeftovers(admin: admin, now: now) }
            _ = try await admin.read { sql in try await sql.raw("CREATE DATABASE \(unsafeRaw: String(name))").all() }
        } catch {
            await admin.shutdown()
            throw error
        }
        await admin.shutdown()
        return String(name)
    }

    /// Drops the databases of earlier runs, once per run: a test never drops its own (its
    /// database outlives its last check), and a server with thousands of them creates each new
    /// one slowly. Only those made over two hours ago go (another run may be using newer ones);
    /// one still in use refuses to be dropped and stays.
    private static func dropLeftovers(admin: Database, now: Int) async {
        let names = try? await admin.read { sql in
            try await sql.raw("SELECT datname FROM pg_database WHERE datname LIKE 'tb\\_test\\_%'").all()
                .map { try $0.decode(column: "datname", as: String.self) }
        }
        for name in names ?? [] {
            let parts = name.split(separator: "_")
            // Names from before they carried their time count as old.
            let made = parts.count == 4 ? Int(parts[2]) ?? 0 : 0
            guard now - made > 7_200 else { continue }
            _ = try? await admin.read { sql in try await sql.raw("DROP DATABASE IF EXISTS \(unsafeRaw: name)").all() }
        }
    }

    /// Opens and migrates a new database of this kind.
    /// - Parameter operationLimit: for tests of behaviour, not of the limit: a loaded test server
    ///   can take longer than production's 5 s for a large shared transaction.
    func makeDatabase(groupCommit: Bool = true, operationLimit: Duration = Database.postgresOperationLimit) async throws -> Database {
        let database = try await Database.open(
            makeLocation(), groupCommit: groupCommit, operationLimit: operationLimit, logger: Logger(label: "test"))
        try await Migrator(database: database).migrate()
        return database
    }
}

/// Runs PostgreSQL test-database creations one after another.
actor PostgresTestDatabases {
    static let shared = PostgresTestDatabases()
    private var tail: Task<Void, Never> = Task {}
    private var created = false

    /// Whether this is the run's first creation (true once).
    func firstCreation() -> Bool {
        defer { created = true }
        return !created
    }

    func one<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let previous = tail
        let task = Task {
            await previous.value
            return try await operation()
        }
        tail = Task { _ = try? await task.value }
        return try await task.value
    }
}
