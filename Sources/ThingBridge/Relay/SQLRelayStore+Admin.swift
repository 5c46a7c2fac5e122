import Foundation
import SQLKit

/// What the admin API and the CLI read and change: deliveries, their attempts, retry and replay.
extension SQLRelayStore {
    /// Deliveries matching `query`, newest first.
    public func deliveries(_ query: RelayDeliveryQuery) async throws -> Page<StoredRelayDelivery> {
        var sql: SQLQueryString = "SELECT \(unsafeRaw: Self.deliveryColumns) FROM relay_deliveries WHERE 1 = 1"
        if let state = query.state { sql += " AND state = \(bind: state.rawValue)" }
        if let endpointID = query.endpointID { sql += " AND endpoint_id = \(bind: endpointID)" }
        if let eventID = query.eventID { sql += " AND event_id = \(bind: eventID)" }
        if let before = try SQLWebhookEventStore.cursorID(query.page.cursor) { sql += " AND id < \(bind: before)" }
        sql += " ORDER BY id DESC LIMIT \(literal: query.page.limit + 1)"
        let finalQuery = sql
        let rows = try await database.read { db in try await db.raw(finalQuery).all() }
        return try SQLWebhookEventStore.page(rows.map(Self.delivery(from:)), limit: query.page.limit, id: \.id)
    }

    /// One delivery with its attempts, oldest first.
    public func delivery(id: Int64) async throws -> (delivery: StoredRelayDelivery, attempts: [RelayAttemptRecord])? {
        try await database.read { sql in
            guard let row = try await sql.raw("SELECT \(unsafeRaw: Self.deliveryColumns) FROM relay_deliveries WHERE id = \(bind: id)").first() else {
                return nil
            }
            let attempts = try await sql.raw(
                "SELECT attempted_at, status, error, duration_ms FROM relay_attempts WHERE delivery_id = \(bind: id) ORDER BY id"
            ).all().map { row in
                RelayAttemptRecord(
                    attemptedAt: Timestamp.date(try row.decode(column: "attempted_at", as: Int64.self)),
                    status: try row.decode(column: "status", as: Int?.self),
                    error: try row.decode(column: "error", as: String?.self),
                    durationMilliseconds: try row.decode(column: "duration_ms", as: Int.self)
                )
            }
            return (try Self.delivery(from: row), attempts)
        }
    }

    /// Queues a delivery again now, with the whole schedule ahead of it, whatever its state,
    /// and enables its endpoint (someone asked for it to be sent).
    public func retry(deliveryID id: Int64, now: Date = Date()) async throws -> StoredRelayDelivery {
        let nowMicros = Timestamp.microseconds(now)
        let row = try await database.write { sql in
            guard
                let row = try await sql.raw(
                    """
                    UPDATE relay_deliveries SET state = 'pending', attempts = 0, due_at = \(bind: nowMicros), lease = NULL
                    WHERE id = \(bind: id) RETURNING \(unsafeRaw: Self.deliveryColumns)
                    """
                ).first()
            else { throw RelayError.deliveryNotFound(id) }
            try await Self.enable(endpointID: try row.decode(column: "endpoint_id", as: String.self), sql: sql)
            return row
        }
        return try Self.delivery(from: row)
    }

    /// Queues every event received at or after `since` for an endpoint again (those its types
    /// match), with their original `webhook-id`s, and enables the endpoint. Returns how many.
    public func replay(endpointID: String, since: Date, now: Date = Date()) async throws -> Int {
        guard let endpoint = try await endpoint(id: endpointID) else { throw RelayError.endpointNotFound(endpointID) }
        let nowMicros = Timestamp.microseconds(now)
        let sinceMicros = Timestamp.microseconds(since)
        var after: Int64 = 0
        var queued = 0
        while true {
            let batchAfter = after
            let events = try await database.read { sql in
                try await sql.raw(
                    """
                    SELECT id, source, event FROM webhook_events WHERE received_at >= \(bind: sinceMicros) AND id > \(bind: batchAfter)
                    ORDER BY id LIMIT 500
                    """
                ).all()
            }
            guard let last = events.last else { break }
            after = try last.decode(column: "id", as: Int64.self)
            var rows: [RelayOutbox.Row] = []
            for row in events {
                let source = EventSource(rawValue: try row.decode(column: "source", as: String.self))
                let type = projections.relayType(source: source, event: try row.decode(column: "event", as: String.self))
                if endpoint.types.matches(type) {
                    rows.append(RelayOutbox.Row(eventID: try row.decode(column: "id", as: Int64.self), endpointID: endpointID, type: type))
                }
            }
            guard !rows.isEmpty else { continue }
            let batch = rows
            try await database.write { sql in try await RelayOutbox.insert(batch, now: nowMicros, requeue: true, sql: sql) }
            queued += rows.count
        }
        try await database.write { sql in try await Self.enable(endpointID: endpointID, sql: sql) }
        return queued
    }

    private static func enable(endpointID: String, sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            UPDATE relay_endpoints SET disabled_at = NULL, disabled_reason = NULL
            WHERE id = \(bind: endpointID) AND disabled_at IS NOT NULL AND (disabled_reason IS NULL OR disabled_reason <> \(bind: leftConfiguration))
            """
        ).run()
    }

    static let deliveryColumns =
        "id, event_id, endpoint_id, type, state, attempts, total_attempts, due_at, created_at, last_attempt_at, last_status, last_error, delivered_at"

    static func delivery(from row: any SQLRow) throws -> StoredRelayDelivery {
        let state = RelayDeliveryState(rawValue: try row.decode(column: "state", as: String.self)) ?? .pending
        return StoredRelayDelivery(
            id: try row.decode(column: "id", as: Int64.self),
            eventID: try row.decode(column: "event_id", as: Int64.self),
            endpointID: try row.decode(column: "endpoint_id", as: String.self),
            type: try row.decode(column: "type", as: String.self),
            state: state,
            attempts: try row.decode(column: "attempts", as: Int.self),
            totalAttempts: try row.decode(column: "total_attempts", as: Int.self),
            createdAt: Timestamp.date(try row.decode(column: "created_at", as: Int64.self)),
            nextAttemptAt: state == .pending ? try row.decode(column: "due_at", as: Int64?.self).map(Timestamp.date) : nil,
            lastAttemptAt: try row.decode(column: "last_attempt_at", as: Int64?.self).map(Timestamp.date),
            lastStatus: try row.decode(column: "last_status", as: Int?.self),
            lastError: try row.decode(column: "last_error", as: String?.self),
            deliveredAt: try row.decode(column: "delivered_at", as: Int64?.self).map(Timestamp.date)
        )
    }
}
