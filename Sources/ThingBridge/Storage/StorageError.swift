/// Why the database could not do what was asked. Mapped to 503 so that callers (Thingiverse's
/// webhook sender, a load balancer) try again later.
public enum StorageError: Error, Sendable, CustomStringConvertible {
    /// The database could not be reached or refused the operation (locked, read-only, disk full, down).
    case unavailable(reason: String)
    /// The database was migrated by a newer ThingBridge than this binary knows.
    case databaseNewerThanBinary(databaseVersion: Int, binaryVersion: Int)
    /// The operation did not finish within its time limit.
    case timedOut

    public var description: String {
        switch self {
        case .unavailable(let reason):
            "the database is unavailable: \(reason)"
        case .databaseNewerThanBinary(let databaseVersion, let binaryVersion):
            "the database schema is at version \(databaseVersion) but this ThingBridge only knows up to \(binaryVersion); run a newer ThingBridge or restore a backup"
        case .timedOut:
            "the database did not answer in time"
        }
    }
}
