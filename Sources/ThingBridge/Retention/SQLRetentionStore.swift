import Foundation
import SQLKit

/// Deletes old rows in small batches, each its own short write on the database's single write
/// path, so a webhook waiting behind one waits a few milliseconds at most.
///
/// Every batch walks an index by age (`received_at`, `created_at`) from the oldest row, so a
/// pass costs what it deletes, not what is stored.
public struct SQLRetentionStore: Sendable {
    let database: Database
    /// What the sources keep and fold before their events go.
    let projections: EventProjections

    /// - Parameter projections: the event log's (``SQLWebhookEventStore/projections``).
    public init(database: Database, projections: EventProjections = .builtIn) {
        self.database = database
        self.projections = projections
    }

    /// What one batch of event pruning did.
    public struct EventBatch: Sendable, Equatable {
        /// Events deleted.
        public var deleted: Int
        /// Their relay deliveries (delivered or failed) deleted with them.
        public var deliveries: Int
        /// The id of the newest event deleted (for logs and tests).
        public var lastID: Int64?
    }

    /// Deletes up to `limit` events received before `cutoff` (and, with `upTo`, no newer than
    /// that id), oldest first, skipping those with a pending relay delivery and those a
    /// projection keeps (``EventProjection/keptWhile``: Thingiverse's pending confirmations).
    /// Their finished deliveries go with them; each projection first folds what its events
    /// added up to (``EventProjection/willPrune(_:sql:dialect:)``), in the same transaction.
    public func pruneEvents(receivedBefore cutoff: Date, upTo maximumID: Int64? = nil, limit: Int = 500) async throws -> EventBatch {
        let cutoffMicros = Timestamp.microseconds(cutoff)
        let dialect = database.dialect
        let projections = projections
        return try await database.write { sql in
            var query: SQLQueryString = """
                SELECT source, \(unsafeRaw: PrunedEvent.columns) FROM webhook_events e WHERE received_at < \(integer: cutoffMicros)
                """
            for condition in projections.keptWhile { query += " AND NOT (\(unsafeRaw: condition))" }
            if let maximumID { query += " AND id <= \(integer: maximumID)" }
            query += """
                 AND NOT EXISTS (SELECT 1 FROM relay_deliveries d WHERE d.event_id = e.id AND d.state = 'pending')
                ORDER BY received_at, id LIMIT \(literal: limit)
                """
            let rows = try await sql.raw(query).all()
            guard !rows.isEmpty else { return EventBatch(deleted: 0, deliveries: 0, lastID: nil) }
            var ids: [Int64] = []
            var bySource: [EventSource: [PrunedEvent]] = [:]
            for row in rows {
                let event = try PrunedEvent(row: row)
                ids.append(event.id)
                bySource[EventSource(rawValue: try row.decode(column: "source", as: String.self)), default: []].append(event)
            }
            for projection in projections.all {
                guard let events = bySource[projection.source] else { continue }
                try await projection.willPrune(events, sql: sql, dialect: dialect)
            }
            try await sql.raw(
                """
                DELETE FROM relay_attempts WHERE delivery_id IN (SELECT id FROM relay_deliveries WHERE event_id IN (\(binds: ids)))
                """
            ).run()
            let deliveries = try await sql.raw("DELETE FROM relay_deliveries WHERE event_id IN (\(binds: ids)) RETURNING id").all().count
            try await sql.raw("DELETE FROM webhook_events WHERE id IN (\(binds: ids))").run()
            return EventBatch(deleted: ids.count, deliveries: deliveries, lastID: ids.max())
        }
    }

    /// Deletes up to `limit` delivered or failed relay deliveries queued before `cutoff`, with
    /// their attempts. Pending deliveries are never touched. Returns how many were deleted.
    public func pruneRelay(createdBefore cutoff: Date, limit: Int = 500) async throws -> Int {
        let cutoffMicros = Timestamp.microseconds(cutoff)
        return try await database.write { sql in
            let ids = try await sql.raw(
                """
                SELECT id FROM relay_deliveries WHERE state <> 'pending' AND created_at < \(integer: cutoffMicros)
                ORDER BY created_at LIMIT \(literal: limit)
                """
            ).all().map { try $0.decode(column: "id", as: Int64.self) }
            guard !ids.isEmpty else { return 0 }
            try await sql.raw("DELETE FROM relay_attempts WHERE delivery_id IN (\(binds: ids))").run()
            return try await sql.raw("DELETE FROM relay_deliveries WHERE id IN (\(binds: ids)) AND state <> 'pending' RETURNING id").all().count
        }
    }

    /// Deletes up to `limit` quarantined bodies received before `cutoff`. Returns how many.
    public func pruneQuarantine(receivedBefore cutoff: Date, limit: Int = 500) async throws -> Int {
        let cutoffMicros = Timestamp.microseconds(cutoff)
        return try await database.write { sql in
            try await sql.raw(
                """
                DELETE FROM webhook_quarantine WHERE id IN (
                    SELECT id FROM webhook_quarantine WHERE received_at < \(integer: cutoffMicros) ORDER BY received_at LIMIT \(literal: limit))
                RETURNING id
                """
            ).all().count
        }
    }
}
