/// One versioned step of the schema. Versions only grow; a released migration never changes.
struct Migration: Sendable {
    let version: Int
    let name: String
    /// The statements for a dialect; most are the same for both.
    let statements: @Sendable (Database.Dialect) -> [String]
}

extension Migration {
    /// Every migration this binary knows, oldest first.
    static let all: [Migration] = [
        Migration(version: 1, name: "revoked sessions") { _ in
            [
                """
                CREATE TABLE revoked_sessions (
                    session_id TEXT PRIMARY KEY,
                    expires_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX revoked_sessions_expires_at ON revoked_sessions (expires_at)",
            ]
        }
    ]
}
