import Foundation
import SQLKit

/// The read side: listings and single records for the admin API and the CLI.
///
/// Listings are newest first and paginated by keyset: the cursor is the last id of the page,
/// so pages stay stable while new events arrive.
extension SQLWebhookEventStore {
    public func events(_ query: EventQuery) async throws -> Page<StoredEvent> {
        if query.since != nil || query.until != nil { return try await eventsByTime(query) }
        var sql: SQLQueryString = "SELECT \(unsafeRaw: eventColumns) FROM webhook_events WHERE 1 = 1"
        if let source = query.source { sql += " AND source = \(bind: source.rawValue)" }
        if let event = query.event { sql += " AND event = \(bind: event)" }
        if let subjectID = query.subjectID { sql += " AND \(unsafeRaw: Migration.eventSubjectColumn) = \(bind: subjectID)" }
        if let before = try Self.cursorID(query.page.cursor) { sql += " AND id < \(bind: before)" }
        sql += " ORDER BY id DESC LIMIT \(literal: query.page.limit + 1)"
        let finalQuery = sql
        let rows = try await database.read { db in try await db.raw(finalQuery).all() }
        return try Self.page(rows.map(event(from:)), limit: query.page.limit, id: \.id)
    }

    /// A time range, newest first by (received time, id): the order of the index on
    /// `received_at` (which ends in the row id), so the listing walks it and stops at the page's
    /// end instead of sorting the whole range. The cursor is `RECEIVED_ID`.
    private func eventsByTime(_ query: EventQuery) async throws -> Page<StoredEvent> {
        var sql: SQLQueryString = "SELECT \(unsafeRaw: eventColumns) FROM webhook_events WHERE 1 = 1"
        if let since = query.since { sql += " AND received_at >= \(integer: Timestamp.microseconds(since))" }
        if let until = query.until { sql += " AND received_at < \(integer: Timestamp.microseconds(until))" }
        if let cursor = query.page.cursor {
            guard let position = Self.timeCursor(cursor) else { throw InvalidCursor() }
            // The plain upper bound is what the index range uses; the rest skips the rows shown already.
            sql += """
                 AND received_at <= \(integer: position.receivedAt) AND (received_at < \(integer: position.receivedAt) \
                OR id < \(integer: position.id))
                """
        }
        if let source = query.source { sql += " AND source = \(bind: source.rawValue)" }
        if let event = query.event { sql += " AND event = \(bind: event)" }
        if let subjectID = query.subjectID { sql += " AND \(unsafeRaw: Migration.eventSubjectColumn) = \(bind: subjectID)" }
        sql += " ORDER BY received_at DESC, id DESC LIMIT \(literal: query.page.limit + 1)"
        let finalQuery = sql
        let rows = try await database.read { db in try await db.raw(finalQuery).all() }
        let events = try rows.map(event(from:))
        guard events.count > query.page.limit else { return Page(items: events, nextCursor: nil) }
        let last = rows[query.page.limit - 1]
        let cursor = "\(try last.decode(column: "received_at", as: Int64.self))_\(try last.decode(column: "id", as: Int64.self))"
        return Page(items: Array(events.prefix(query.page.limit)), nextCursor: cursor)
    }

    static func timeCursor(_ cursor: String) -> EventPosition? {
        let parts = cursor.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 2, let receivedAt = Int64(parts[0]), let id = Int64(parts[1]), id > 0 else { return nil }
        return EventPosition(receivedAt: receivedAt, id: id)
    }

    public func event(id: Int64) async throws -> StoredEvent? {
        let row = try await database.read { sql in
            try await sql.raw("SELECT \(unsafeRaw: eventColumns) FROM webhook_events WHERE id = \(bind: id)").first()
        }
        return try row.map(event(from:))
    }

    /// Every event with an id above `after`, oldest first, `limit` at a time (for export).
    public func events(after: Int64, limit: Int) async throws -> [StoredEvent] {
        let rows = try await database.read { sql in
            try await sql.raw(
                "SELECT \(unsafeRaw: eventColumns) FROM webhook_events WHERE id > \(bind: after) ORDER BY id LIMIT \(literal: limit)"
            ).all()
        }
        return try rows.map(event(from:))
    }

    /// Events received before `before`, oldest first by (received time, id), `limit` at a time
    /// after the position `after` that the previous batch returned (for `events archive`).
    public func events(
        receivedBefore before: Date, after: EventPosition?, limit: Int
    ) async throws -> (events: [StoredEvent], last: EventPosition?) {
        var sql: SQLQueryString =
            "SELECT \(unsafeRaw: eventColumns) FROM webhook_events WHERE received_at < \(integer: Timestamp.microseconds(before))"
        if let after {
            sql += " AND received_at >= \(integer: after.receivedAt) AND (received_at > \(integer: after.receivedAt) OR id > \(integer: after.id))"
        }
        sql += " ORDER BY received_at, id LIMIT \(literal: limit)"
        let finalQuery = sql
        let rows = try await database.read { db in try await db.raw(finalQuery).all() }
        let last = try rows.last.map {
            EventPosition(receivedAt: try $0.decode(column: "received_at", as: Int64.self), id: try $0.decode(column: "id", as: Int64.self))
        }
        return (try rows.map(event(from:)), last)
    }

    public func quarantined(_ query: PageQuery) async throws -> Page<QuarantinedDelivery> {
        var sql: SQLQueryString = "SELECT id, source, received_at, reason, raw_body FROM webhook_quarantine WHERE 1 = 1"
        if let before = try Self.cursorID(query.cursor) { sql += " AND id < \(bind: before)" }
        sql += " ORDER BY id DESC LIMIT \(literal: query.limit + 1)"
        let finalQuery = sql
        let rows = try await database.read { db in try await db.raw(finalQuery).all() }
        let items = try rows.map { row in
            QuarantinedDelivery(
                id: try row.decode(column: "id", as: Int64.self),
                source: EventSource(rawValue: try row.decode(column: "source", as: String.self)),
                receivedAt: Timestamp.date(try row.decode(column: "received_at", as: Int64.self)),
                reason: try row.decode(column: "reason", as: String.self),
                rawBody: Array(try row.decode(column: "raw_body", as: Data.self))
            )
        }
        return try Self.page(items, limit: query.limit, id: \.id)
    }

    /// The log's own columns and every shown one.
    var eventColumns: String { Self.eventColumns(shown: projections.shownColumns) }

    func event(from row: any SQLRow) throws -> StoredEvent {
        try Self.event(from: row, shown: projections.shownColumns)
    }

    /// The log's own columns and `shown`'s, for a read of whole events.
    static func eventColumns(shown: [ShownColumn]) -> String {
        "id, source, received_at, event, \(Migration.eventSubjectColumn), dedupe_key, raw_body, fields" + shown.map { ", " + $0.column }.joined()
    }

    /// An event as ``eventColumns(shown:)`` selects it.
    static func event(from row: any SQLRow, shown: [ShownColumn]) throws -> StoredEvent {
        let fields = try row.decode(column: "fields", as: String?.self)
        return StoredEvent(
            id: try row.decode(column: "id", as: Int64.self),
            source: EventSource(rawValue: try row.decode(column: "source", as: String.self)),
            receivedAt: Timestamp.date(try row.decode(column: "received_at", as: Int64.self)),
            event: try row.decode(column: "event", as: String.self),
            subjectID: try row.decode(column: Migration.eventSubjectColumn, as: Int64?.self),
            dedupeKey: try row.decode(column: "dedupe_key", as: String.self),
            fields: fields.flatMap { try? JSONParser.parse(Array($0.utf8)) },
            shown: try shown.map { ShownValue(column: $0, value: try shownValue(of: $0, in: row)) },
            rawBody: Array(try row.decode(column: "raw_body", as: Data.self))
        )
    }

    private static func shownValue(of column: ShownColumn, in row: any SQLRow) throws -> JSONValue {
        switch column.kind {
        case .text: return try row.decode(column: column.column, as: String?.self).map(JSONValue.string) ?? .null
        case .integer: return try row.decode(column: column.column, as: Int64?.self).map { .number(String($0)) } ?? .null
        case .json:
            let text = try row.decode(column: column.column, as: String?.self)
            return text.flatMap { try? JSONParser.parse(Array($0.utf8)) } ?? .null
        }
    }

    /// Cursors are the last id of the previous page, as text.
    static func cursorID(_ cursor: String?) throws -> Int64? {
        guard let cursor else { return nil }
        guard let id = Int64(cursor), id > 0 else { throw InvalidCursor() }
        return id
    }

    /// A `cursor` that no listing handed out.
    public struct InvalidCursor: Error, Sendable {}

    static func page<Item>(_ items: [Item], limit: Int, id: KeyPath<Item, Int64>) throws -> Page<Item> {
        guard items.count > limit else { return Page(items: items, nextCursor: nil) }
        let shown = Array(items.prefix(limit))
        return Page(items: shown, nextCursor: String(shown.last![keyPath: id]))
    }
}
