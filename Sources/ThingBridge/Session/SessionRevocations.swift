import Foundation
import SQLKit

/// Sessions ended by logout, and sign-in states already used, kept in the database until the
/// cookie would have expired anyway. Every instance sharing the database sees them.
public struct SessionRevocations: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Records `id` as used up until `expiresAt`. Returns false when it already was (a replay).
    @discardableResult
    public func revoke(_ id: String, until expiresAt: Int64) async throws -> Bool {
        let now = Int64(Date().timeIntervalSince1970)
        return try await database.write { sql in
            // Expired records can never match a live cookie again; dropping them keeps the table small.
            try await sql.raw("DELETE FROM revoked_sessions WHERE expires_at < \(bind: now)").run()
            let inserted = try await sql.raw(
                "INSERT INTO revoked_sessions (session_id, expires_at) VALUES (\(bind: id), \(bind: expiresAt)) ON CONFLICT (session_id) DO NOTHING RETURNING session_id"
            ).all()
            return !inserted.isEmpty
        }
    }

    public func isRevoked(_ id: String) async throws -> Bool {
        try await database.read { sql in
            try await sql.raw("SELECT session_id FROM revoked_sessions WHERE session_id = \(bind: id)").first() != nil
        }
    }
}
