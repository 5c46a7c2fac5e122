import Foundation
import SQLKit

/// Deletes old rows in small batches, each its own short write on the database's single write
/// path, so a webhook waiting behind one waits a few milliseconds at most.
///
/// Every batch walks an index by age (`received_at`, `created_at`) from the oldest row, so a
/// pass costs what it deletes, not what is stored.
public struct SQLRetentionStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
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
    /// that id), oldest first, skipping those with a pending relay delivery or a pending
    /// confirmation. Their finished deliveries go with them; what order events added up to is
    /// folded into their order's `pruned_events` first, so no order changes.
    public func pruneEvents(receivedBefore cutoff: Date, upTo maximumID: Int64? = nil, limit: Int = 500) async throws -> EventBatch {
        let cutoffMicros = Timestamp.microseconds(cutoff)
        let dialect = database.dialect
        return try await database.write { sql in
            var query: SQLQueryString = """
                SELECT id, order_id, event, fields, received_at FROM webhook_events e
                WHERE received_at < \(integer: cutoffMicros) AND confirmation_status <> 'pending'
                """
            if let maximumID { query += " AND id <= \(integer: maximumID)" }
            query += """
                 AND NOT EXISTS (SELECT 1 FROM relay_deliveries d WHERE d.event_id = e.id AND d.state = 'pending')
                ORDER BY received_at, id LIMIT \(literal: limit)
                """
            let rows = try await sql.raw(query).all()
            guard !rows.isEmpty else { return EventBatch(deleted: 0, deliveries: 0, lastID: nil) }
            var ids: [Int64] = []
            var orderEvents: [Int64: [OrderFacts.Event]] = [:]
            for row in rows {
                let id = try row.decode(column: "id", as: Int64.self)
                ids.append(id)
                guard let orderID = try row.decode(column: "order_id", as: Int64?.self),
                    let kind = OrderEventKind(rawValue: try row.decode(column: "event", as: String.self))
                else { continue }
                // Read exactly as the order's recomputation reads it.
                let details = try row.decode(column: "fields", as: String?.self).flatMap { try? JSONParser.parse(Array($0.utf8)) }
                    .flatMap { try? OrderDetails(json: $0) }
                orderEvents[orderID, default: []].append(
                    OrderFacts.Event(
                        id: id, kind: kind, details: details ?? OrderDetails(id: orderID),
                        receivedAt: try row.decode(column: "received_at", as: Int64.self)))
            }
            if !orderEvents.isEmpty {
                let orderIDs = orderEvents.keys.sorted()
                if dialect == .postgres {
                    // The same per-order locks as a recomputation: it sees the events or their summary, never neither.
                    try await sql.raw(
                        """
                        SELECT pg_advisory_xact_lock(\(literal: OrderProjection.orderLockClass), hashtext(id::text))
                        FROM unnest(\(bind: orderIDs)::bigint[]) AS id
                        """
                    ).run()
                }
                var summaries: [Int64: PrunedOrderEvents] = [:]
                var known = Set<Int64>()
                for row in try await sql.raw("SELECT order_id, pruned_events FROM orders WHERE order_id IN (\(binds: orderIDs))").all() {
                    let orderID = try row.decode(column: "order_id", as: Int64.self)
                    known.insert(orderID)
                    summaries[orderID] = PrunedOrderEvents(stored: try row.decode(column: "pruned_events", as: String?.self))
                }
                for orderID in orderIDs where known.contains(orderID) {
                    guard let summary = PrunedOrderEvents(events: orderEvents[orderID] ?? [], adding: summaries[orderID]) else { continue }
                    try await sql.raw("UPDATE orders SET pruned_events = \(bind: summary.stored) WHERE order_id = \(integer: orderID)").run()
                }
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
