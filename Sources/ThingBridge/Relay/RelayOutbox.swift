import SQLKit

/// Queues relay deliveries for newly stored events, inside the transaction that stores them:
/// the event and its deliveries commit together, so a crash at any moment neither loses a
/// delivery nor invents one. Called by the event log for every batch it writes.
enum RelayOutbox {
    /// A newly stored event (not a duplicate): its id and relayed type.
    struct NewEvent: Sendable {
        let id: Int64
        let type: String
    }

    /// Rows per insert statement (7 values each, far under both databases' bind limits).
    static let rowsPerStatement = 300

    /// Adds one pending delivery per event and enabled endpoint whose filter matches.
    /// Returns how many were queued.
    @discardableResult
    static func enqueue(_ events: [NewEvent], now: Int64, sql: any SQLDatabase) async throws -> Int {
        guard !events.isEmpty else { return 0 }
        // Read in the same transaction: an endpoint added meanwhile is either seen here or
        // added after these events were committed.
        let endpoints = try await sql.raw("SELECT id, types FROM relay_endpoints WHERE disabled_at IS NULL").all().map { row in
            (id: try row.decode(column: "id", as: String.self), types: RelayTypeFilter(stored: try row.decode(column: "types", as: String.self)))
        }
        guard !endpoints.isEmpty else { return 0 }
        var rows: [(event: NewEvent, endpoint: String)] = []
        for event in events {
            for endpoint in endpoints where endpoint.types.matches(event.type) {
                rows.append((event, endpoint.id))
            }
        }
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(start + rowsPerStatement, rows.count)]
            var query: SQLQueryString = "INSERT INTO relay_deliveries (event_id, endpoint_id, type, state, attempts, due_at, created_at) VALUES"
            for (index, row) in chunk.enumerated() {
                query += index == 0 ? " " : ", "
                query += "(\(bind: row.event.id), \(bind: row.endpoint), \(bind: row.event.type), 'pending', 0, \(bind: now), \(bind: now))"
            }
            query += " ON CONFLICT (event_id, endpoint_id) DO NOTHING"
            try await sql.raw(query).run()
            start += chunk.count
        }
        return rows.count
    }
}
