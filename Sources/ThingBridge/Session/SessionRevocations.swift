import Foundation
import SQLKit
import Synchronization

/// Sessions ended by logout or unlink, held in memory so that checking a cookie costs no
/// database access, and sign-in states already used (replay protection), which stay in the
/// database: they are written once per sign-in and never read per request.
///
/// An ended session is remembered at once by the instance that ended it and recorded in
/// `revoked_sessions` until its cookie would have expired anyway, so the set stays bounded.
/// Every instance loads the unexpired records at start (``catchUp()``), then learns of other
/// instances' logouts from PostgreSQL's `NOTIFY` (``received(_:)``, within a moment) and from a
/// periodic catch-up read of what was recorded since the last one (``RevocationSync``), which
/// bounds how long a lost notification can matter.
public final class SessionRevocations: Sendable {
    let database: Database
    /// Ended session ids and when each one's cookie expires anyway (Unix seconds).
    private let ended = Mutex<[String: Int64]>([:])
    /// The database's clock at the last catch-up read; nil before the first.
    private let caughtUpTo = Mutex<Int64?>(nil)

    /// The PostgreSQL channel logouts are announced on.
    static let channel = "thingbridge_revoked_sessions"
    /// How far before the previous catch-up a catch-up reads again: a logout recorded just
    /// before that read may have committed just after it.
    static let catchUpOverlap: Int64 = 60
    private static let sessionPrefix = "session:"

    public init(database: Database) {
        self.database = database
    }

    /// Whether the session `id` was ended. Memory only: never a database access.
    public func isRevoked(_ id: String) -> Bool {
        ended.withLock { $0[id] != nil }
    }

    /// How many ended sessions this instance holds (all unexpired).
    public var count: Int { ended.withLock { $0.count } }

    /// Ends the session `id` on this instance at once, and on every instance sharing the
    /// database once the record commits (PostgreSQL: announced with `NOTIFY` in the same transaction).
    public func revokeSession(_ id: String, until expiresAt: Int64) async throws {
        remember(id, until: expiresAt)
        let key = Self.sessionPrefix + id
        let now = Self.now()
        let dialect = database.dialect
        try await database.write { sql in
            // Expired records can never match a live cookie again; dropping them keeps the table small.
            try await sql.raw("DELETE FROM revoked_sessions WHERE expires_at < \(bind: now)").run()
            try await sql.raw(
                """
                INSERT INTO revoked_sessions (session_id, expires_at, recorded_at)
                VALUES (\(bind: key), \(bind: expiresAt), \(unsafeRaw: Self.clock(dialect))) ON CONFLICT (session_id) DO NOTHING
                """
            ).run()
            if dialect == .postgres {
                try await sql.raw("SELECT pg_notify(\(bind: Self.channel), \(bind: Self.announcement(id: id, expiresAt: expiresAt)))").run()
            }
        }
    }

    /// Marks a sign-in state as used until `expiresAt`. Returns false when it already was (a replay).
    public func consumeLoginState(_ state: String, until expiresAt: Int64) async throws -> Bool {
        let now = Self.now()
        let dialect = database.dialect
        return try await database.write { sql in
            try await sql.raw("DELETE FROM revoked_sessions WHERE expires_at < \(bind: now)").run()
            let inserted = try await sql.raw(
                """
                INSERT INTO revoked_sessions (session_id, expires_at, recorded_at)
                VALUES (\(bind: "login:" + state), \(bind: expiresAt), \(unsafeRaw: Self.clock(dialect)))
                ON CONFLICT (session_id) DO NOTHING RETURNING session_id
                """
            ).all()
            return !inserted.isEmpty
        }
    }

    /// Reads the sessions ended since the last catch-up (all unexpired ones the first time) and
    /// forgets those whose cookies have expired. Returns how many records it read.
    @discardableResult
    public func catchUp() async throws -> Int {
        struct Row: Decodable {
            let session_id: String
            let expires_at: Int64
        }
        struct Clock: Decodable {
            let now: Int64
        }
        let since = caughtUpTo.withLock { $0 }.map { $0 - Self.catchUpOverlap }
        let now = Self.now()
        let dialect = database.dialect
        let (clock, rows) = try await database.read { sql in
            // The clock first: whatever commits after it is read again next time (the overlap).
            let clock = try await sql.raw("SELECT \(unsafeRaw: Self.clock(dialect)) AS now").first(decoding: Clock.self)?.now
            let rows: [Row]
            if let since {
                rows = try await sql.raw(
                    "SELECT session_id, expires_at FROM revoked_sessions WHERE recorded_at >= \(bind: since) AND expires_at > \(bind: now)"
                ).all(decoding: Row.self)
            } else {
                rows = try await sql.raw("SELECT session_id, expires_at FROM revoked_sessions WHERE expires_at > \(bind: now)").all(
                    decoding: Row.self)
            }
            return (clock, rows)
        }
        ended.withLock { ended in
            ended = ended.filter { $0.value > now }
            for row in rows where row.session_id.hasPrefix(Self.sessionPrefix) {
                ended[String(row.session_id.dropFirst(Self.sessionPrefix.count))] = row.expires_at
            }
        }
        if let clock {
            caughtUpTo.withLock { $0 = clock }
        }
        return rows.count
    }

    /// Takes in another instance's announcement of a logout (the `NOTIFY` payload).
    func received(_ payload: String) {
        let parts = payload.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, let expiresAt = Int64(parts[0]), !parts[1].isEmpty else { return }
        remember(String(parts[1]), until: expiresAt)
    }

    static func announcement(id: String, expiresAt: Int64) -> String { "\(expiresAt) \(id)" }

    private func remember(_ id: String, until expiresAt: Int64) {
        ended.withLock { $0[id] = expiresAt }
    }

    /// The database's own clock in Unix seconds, so that instances with different clocks agree
    /// on what "recorded since" means.
    private static func clock(_ dialect: Database.Dialect) -> String {
        switch dialect {
        case .sqlite: "CAST(strftime('%s', 'now') AS INTEGER)"
        case .postgres: "CAST(EXTRACT(EPOCH FROM clock_timestamp()) AS BIGINT)"
        }
    }

    private static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }
}
