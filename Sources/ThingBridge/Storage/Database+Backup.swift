import Foundation
import Logging
import SQLKit
import SQLiteKit
import SQLiteNIO

extension Database {
    /// Why a backup could not be made.
    public enum BackupError: Error, Sendable, CustomStringConvertible {
        /// The store is PostgreSQL (or an in-memory SQLite database).
        case notSQLite
        case failed(String)

        public var description: String {
            switch self {
            case .notSQLite:
                "`thingbridge backup` copies the SQLite store; for PostgreSQL use pg_dump (see the README's Backups section)"
            case .failed(let reason):
                "the backup failed: \(reason)"
            }
        }
    }

    /// Writes a consistent copy of the SQLite store to `path` while the server goes on serving.
    ///
    /// `VACUUM INTO` on a connection of its own reads one snapshot (WAL lets writers carry on
    /// meanwhile) and writes a compact database holding every transaction committed before it
    /// began. The copy goes to a temporary name beside `path`, is flushed to disk and only then
    /// renamed over `path`, so `path` is never a half-written file. Returns the copy's size in bytes.
    @discardableResult
    public func backup(to path: String) async throws -> Int64 {
        guard let source = sqlitePath else { throw BackupError.notSQLite }
        let target = URL(fileURLWithPath: path).standardizedFileURL
        let sourceURL = URL(fileURLWithPath: source).standardizedFileURL
        guard target.path != sourceURL.path else { throw BackupError.failed("the backup cannot replace the database itself") }
        let directory = target.deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(".\(target.lastPathComponent).partial-\(randomToken(bytes: 6))")
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(storage: .file(path: source), logger: logger).get()
        } catch {
            throw BackupError.failed(Self.describe(error))
        }
        do {
            _ = try await connection.query("PRAGMA busy_timeout=5000").get()
            try await connection.sql(queryLogLevel: nil).raw("VACUUM INTO \(bind: temporary.path)").run()
            try await connection.close().get()
        } catch {
            try? await connection.close().get()
            try? FileManager.default.removeItem(at: temporary)
            throw BackupError.failed(Self.describe(error))
        }
        do {
            let handle = try FileHandle(forUpdating: temporary)
            try handle.synchronize()
            try handle.close()
            // rename(2) replaces an older copy at `path` in one step.
            guard rename(temporary.path, target.path) == 0 else {
                throw BackupError.failed("cannot move the copy to \(target.path): \(String(cString: strerror(errno)))")
            }
            let attributes = try FileManager.default.attributesOfItem(atPath: target.path)
            return (attributes[.size] as? NSNumber)?.int64Value ?? 0
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw BackupError.failed(String(describing: error).prefix(200).description)
        }
    }
}
