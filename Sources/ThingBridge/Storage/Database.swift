import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import PostgresNIO
import SQLKit
import SQLiteKit
import SQLiteNIO
import ServiceLifecycle
import Synchronization

/// The SQL database behind ThingBridge: embedded SQLite or PostgreSQL, one SQLKit layer for both.
///
/// Writes go through ``write(_:)``, which hands them to a single ``WriteQueue`` so that
/// transactions never interleave on a connection and concurrent writers share commits.
/// Reads use ``read(_:)`` (a separate connection for SQLite in WAL mode, the pool for PostgreSQL).
/// Queries are never logged: their bound values include states, tokens and webhook bodies.
public final class Database: Sendable {
    /// The SQL flavour, for the few statements that differ.
    public enum Dialect: String, Sendable {
        case sqlite
        case postgres
    }

    public let dialect: Dialect
    /// The SQLite file (`nil` for PostgreSQL and for `:memory:`), for backups.
    let sqlitePath: String?
    /// The bound on each PostgreSQL operation.
    let operationLimit: Duration
    let logger: Logger
    private let backend: Backend
    private let writeQueue: WriteQueue
    /// When a write last failed because of the database (full, read-only, gone), for readiness.
    private let lastWriteFailure = Mutex<ContinuousClock.Instant?>(nil)
    /// How many reads and writes were asked of the database: tests count them to show that a
    /// path (a valid cookie on the proxy) never touches it.
    private let operations = Atomic<Int>(0)

    private enum Backend: Sendable {
        case sqlite(writer: SQLiteConnection, reader: SQLiteConnection)
        /// `listener`: where a connection of its own for `LISTEN` goes (outside the pool, so a
        /// listen under way never holds the pool's shutdown).
        case postgres(client: PostgresClient, runner: Task<Void, Never>, listener: PostgresConnection.Configuration)
    }

    /// Opens (and for SQLite creates) the database. Does not migrate it.
    ///
    /// - Parameter groupCommit: whether concurrent writes share one transaction.
    /// - Parameter operationLimit: how long a PostgreSQL operation may take (see ``postgresOperationLimit``).
    public static func open(
        _ location: ThingBridgeConfiguration.DatabaseLocation,
        groupCommit: Bool = true,
        operationLimit: Duration = Database.postgresOperationLimit,
        logger: Logger
    ) async throws -> Database {
        switch location {
        case .sqlite(let path):
            return try await openSQLite(path: path, groupCommit: groupCommit, logger: logger)
        case .postgres(let url):
            return try openPostgres(url: url.value, groupCommit: groupCommit, operationLimit: operationLimit, logger: logger)
        }
    }

    private init(
        dialect: Dialect, backend: Backend, groupCommit: Bool, operationLimit: Duration = Database.postgresOperationLimit, sqlitePath: String? = nil,
        logger: Logger
    ) {
        self.dialect = dialect
        self.sqlitePath = sqlitePath
        self.operationLimit = operationLimit
        self.backend = backend
        self.logger = logger
        self.writeQueue = WriteQueue(maximumBatch: groupCommit ? 256 : 1)
    }

    private static func openSQLite(path: String, groupCommit: Bool, logger: Logger) async throws -> Database {
        let storage: SQLiteConnection.Storage
        if path == ":memory:" {
            storage = .memory
        } else {
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            storage = .file(path: path)
        }
        let writer = try await SQLiteConnection.open(storage: storage, logger: logger).get()
        do {
            // WAL lets readers work beside the writer; FULL makes each commit durable on power loss.
            for pragma in ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA busy_timeout=5000", "PRAGMA foreign_keys=ON"] {
                _ = try await writer.query(pragma).get()
            }
        } catch {
            try? await writer.close().get()
            throw error
        }
        // An in-memory database exists only on its one connection, so reads share it.
        let reader: SQLiteConnection
        if path == ":memory:" {
            reader = writer
        } else {
            reader = try await SQLiteConnection.open(storage: storage, logger: logger).get()
            _ = try await reader.query("PRAGMA busy_timeout=5000").get()
        }
        return Database(
            dialect: .sqlite, backend: .sqlite(writer: writer, reader: reader), groupCommit: groupCommit, sqlitePath: path == ":memory:" ? nil : path,
            logger: logger)
    }

    private static func openPostgres(url: String, groupCommit: Bool, operationLimit: Duration, logger: Logger) throws -> Database {
        guard let components = URLComponents(string: url), let host = components.host else {
            throw StorageError.unavailable(reason: "THINGBRIDGE_DATABASE_URL is not a valid PostgreSQL URL")
        }
        var configuration = PostgresClient.Configuration(
            host: host,
            port: components.port ?? 5432,
            username: components.user ?? "postgres",
            password: components.password,
            database: String(components.path.dropFirst()),
            tls: .disable
        )
        configuration.options.connectTimeout = .seconds(5)
        configuration.options.maximumConnections = 10
        var listener = PostgresConnection.Configuration(
            host: host, port: components.port ?? 5432, username: components.user ?? "postgres", password: components.password,
            database: String(components.path.dropFirst()), tls: .disable)
        listener.options.connectTimeout = .seconds(5)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let runner = Task { await client.run() }
        return Database(
            dialect: .postgres, backend: .postgres(client: client, runner: runner, listener: listener), groupCommit: groupCommit,
            operationLimit: operationLimit, logger: logger)
    }

    /// Runs a read. Errors from the database become ``StorageError/unavailable(reason:)``.
    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        operations.add(1, ordering: .relaxed)
        return try await Self.mappingErrors {
            switch backend {
            case .sqlite(_, let reader):
                return try await body(reader.sql(queryLogLevel: nil))
            case .postgres(let client, _, _):
                return try await bounded {
                    try await client.withConnection { connection in
                        try await body(connection.sql(queryLogLevel: nil))
                    }
                }
            }
        }
    }

    /// How long a PostgreSQL operation (waiting for a connection included) may take before it
    /// fails as unavailable: while the server is down the pool keeps retrying, and a webhook
    /// must get its 503 quickly rather than hang.
    public static let postgresOperationLimit: Duration = .seconds(5)

    /// Runs `operation`, failing with ``StorageError/timedOut`` once the limit has passed. A write
    /// cut off this way may still have committed; it was answered 503, so its redelivery is
    /// recognised as a duplicate: never a 200 for something not stored.
    private func bounded<T: Sendable>(limit: Duration? = nil, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withStorageTimeout(limit ?? operationLimit, operation)
    }

    /// Runs `body` inside a transaction on the single write path, shared with other writes that
    /// arrive meanwhile (group commit). Returns once the transaction has committed.
    ///
    /// If `body` throws, only its own changes are rolled back (it runs in a savepoint).
    /// - Parameter limit: how long it may take on PostgreSQL instead of the operation limit
    ///   (schema migrations, whose backfills grow with the history they fill in).
    public func write<T: Sendable>(limit: Duration? = nil, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        operations.add(1, ordering: .relaxed)
        do {
            let value = try await writeQueue.submit(database: self, limit: limit, body)
            lastWriteFailure.withLock { $0 = nil }
            return value
        } catch let error as StorageError {
            lastWriteFailure.withLock { $0 = .now }
            throw error
        }
    }

    /// Whether a write failed for the database's sake within `window` and none has succeeded
    /// since: a disk that is full for stored events may still take the readiness probe's one-row update.
    public func writesFailedRecently(within window: Duration = .seconds(10)) -> Bool {
        guard let failure = lastWriteFailure.withLock({ $0 }) else { return false }
        return ContinuousClock.now - failure < window
    }

    /// Gives the write queue the connection transactions run on.
    func withWriteConnection<T: Sendable>(limit: Duration? = nil, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await Self.mappingErrors {
            switch backend {
            case .sqlite(let writer, _):
                return try await body(writer.sql(queryLogLevel: nil))
            case .postgres(let client, _, _):
                return try await bounded(limit: limit) {
                    try await client.withConnection { connection in
                        try await body(connection.sql(queryLogLevel: nil))
                    }
                }
            }
        }
    }

    /// The reads and writes asked of this database so far.
    public var operationCount: Int { operations.load(ordering: .relaxed) }

    /// Listens on the PostgreSQL `channel` on a connection of its own until that connection fails
    /// or the task is cancelled: `listening` runs once the `LISTEN` is in force, `receive` with
    /// each payload. SQLite has no notifications: it returns at once.
    func listen(on channel: String, listening: @Sendable () async -> Void, receive: @Sendable (String) -> Void) async throws {
        guard case .postgres(_, _, let configuration) = backend else { return }
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        do {
            // Cancelling closes the connection, which ends whatever the listen waits for.
            try await withTaskCancellationHandler {
                try await connection.listen(on: channel) { notifications in
                    await listening()
                    for try await notification in notifications {
                        receive(notification.payload)
                    }
                }
            } onCancel: {
                connection.close().whenComplete { _ in }
            }
        } catch {
            // A connection must be closed before it goes away.
            try? await connection.close()
            throw error
        }
        try? await connection.close()
    }

    /// Checks that the database answers `SELECT 1` within `timeout`.
    public func ping(timeout: Duration = .seconds(2)) async throws {
        try await withStorageTimeout(timeout) {
            _ = try await self.read { sql in try await sql.raw("SELECT 1 AS one").all() }
        }
    }

    /// Checks that a write commits within `timeout` (a full disk or a read-only file fails here
    /// while reads still work).
    public func probeWrite(timeout: Duration = .seconds(2)) async throws {
        let now = Int64(Date().timeIntervalSince1970)
        try await withStorageTimeout(timeout) {
            // Straight to the queue: the probe's own success must not hide failing writes.
            try await self.writeQueue.submit(database: self) { sql in
                try await sql.raw(
                    "INSERT INTO readiness_probe (id, checked_at) VALUES (1, \(bind: now)) ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at"
                ).run()
            }
        }
    }

    /// Closes connections. Further calls fail with ``StorageError/unavailable(reason:)``.
    public func shutdown() async {
        switch backend {
        case .sqlite(let writer, let reader):
            if reader !== writer { try? await reader.close().get() }
            try? await writer.close().get()
        case .postgres(_, let runner, _):
            runner.cancel()
            await runner.value
        }
    }

    static func mappingErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as StorageError {
            throw error
        } catch let error as any AppErrorConvertible {
            throw error
        } catch is CancellationError {
            throw StorageError.timedOut
        } catch {
            throw StorageError.unavailable(reason: Self.describe(error))
        }
    }

    /// A short description of a driver error that never includes bound values.
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            return "PostgreSQL: \(error.serverInfo?[.message] ?? String(describing: error.code))"
        }
        return String(describing: error).prefix(200).description
    }
}

/// Closes the database after everything that uses it (the HTTP server, the write queue) has stopped.
struct DatabaseService: Service {
    let database: Database

    func run() async throws {
        try? await gracefulShutdown()
        await database.shutdown()
    }
}

/// Runs `operation`, failing with ``StorageError/timedOut`` once `limit` has passed (the
/// operation is cancelled then).
func withStorageTimeout<T: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw StorageError.timedOut
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}
