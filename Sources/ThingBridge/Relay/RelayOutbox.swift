import SQLKit

/// Queues relay deliveries for newly stored events, inside the transaction that stores them:
/// the event and its deliveries commit together, so a crash at any moment neither loses a
/// delivery nor invents one. Called by the event log for every batch it writes.
enum RelayOutbox {
    /// A newly stored event (not a duplicate): its id and relayed type.
    struct NewEvent: Sendable {
        let id: Int64
        let type: String
        /// The W3C `traceparent` of the span that stored it, when tracing.
        var traceParent: String? = nil
    }

    /// Rows per insert statement (8 values each, far under both databases' bind limits).
    static let rowsPerStatement = 300

    /// Adds one pending delivery per event and enabled endpoint whose filter matches.
    /// Returns how many were queued.
    @discardableResult
    static func enqueue(_ events: [NewEvent], now: Int64, sql: any SQLDatabase) async throws -> Int {
        guard !events.isEmpty else { return 0 }
        // Read in the same transaction: an endpoint added meanwhile is either seen here or
        // added after these events were committed. In id order: rows (and, through the kept
        // counters, endpoint rows) are locked in the order every writer uses.
        let endpoints = try await sql.raw("SELECT id, types FROM relay_endpoints WHERE disabled_at IS NULL ORDER BY id").all().map { row in
            (id: try row.decode(column: "id", as: String.self), types: RelayTypeFilter(stored: try row.decode(column: "types", as: String.self)))
        }
        guard !endpoints.isEmpty else { return 0 }
        var rows: [Row] = []
        for event in events {
            for endpoint in endpoints where endpoint.types.matches(event.type) {
                rows.append(Row(eventID: event.id, endpointID: endpoint.id, type: event.type, traceParent: event.traceParent))
            }
        }
        try await insert(rows, now: now, requeue: false, sql: sql)
        return rows.count
    }

    /// One delivery to queue.
    struct Row: Sendable {
        let eventID: Int64
        let endpointID: String
        let type: String
        /// Kept so that every attempt, after a restart too, continues the event's trace.
        var traceParent: String? = nil
    }

    /// Inserts pending deliveries. A delivery that exists already is left alone, or with
    /// `requeue` (a replay) made pending again with the whole schedule ahead.
    static func insert(_ rows: [Row], now: Int64, requeue: Bool, sql: any SQLDatabase) async throws {
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(start + rowsPerStatement, rows.count)]
            var query: SQLQueryString =
                "INSERT INTO relay_deliveries (event_id, endpoint_id, type, state, attempts, due_at, created_at, trace_parent) VALUES"
            for (index, row) in chunk.enumerated() {
                query += index == 0 ? " " : ", "
                query +=
                    "(\(bind: row.eventID), \(bind: row.endpointID), \(bind: row.type), 'pending', 0, \(bind: now), \(bind: now), \(bind: row.traceParent))"
            }
            query +=
                requeue
                ? " ON CONFLICT (event_id, endpoint_id) DO UPDATE SET state = 'pending', attempts = 0, due_at = excluded.due_at, lease = NULL"
                : " ON CONFLICT (event_id, endpoint_id) DO NOTHING"
            try await sql.raw(query).run()
            start += chunk.count
        }
    }
}
