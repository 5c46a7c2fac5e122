import Foundation
import SQLKit

/// Thingiverse's orders on ThingBridge's ``Database``: the `orders` rows that ``OrderProjection``
/// keeps, their events' history and confirmation queue in the event log, and the day figures.
public struct SQLOrderStore: OrderStore {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func orders(_ query: OrderQuery) async throws -> Page<StoredOrder> {
        let before = try SQLWebhookEventStore.cursorID(query.page.cursor)
        func listing(thingID: Int64?, orderID: Int64?) -> SQLQueryString {
            var sql: SQLQueryString = "SELECT * FROM orders WHERE 1 = 1"
            if let state = query.state { sql += " AND state = \(bind: state.rawValue)" }
            if let thingID { sql += " AND thing_id = \(integer: thingID)" }
            if let orderID { sql += " AND order_id = \(integer: orderID)" }
            if let before { sql += " AND order_id < \(integer: before)" }
            sql += " ORDER BY order_id DESC LIMIT \(literal: query.page.limit + 1)"
            return sql
        }
        var queries = [listing(thingID: query.thingID, orderID: nil)]
        if let search = query.search {
            // The order with that id, and the orders of the thing with that id: each walks its own
            // index in order (an OR of the two would sort every order of the thing).
            queries = [listing(thingID: query.thingID, orderID: search), listing(thingID: search, orderID: nil)]
            if let thingID = query.thingID, thingID != search { queries.removeLast() }
        }
        let finalQueries = queries
        let rows = try await database.read { db in
            var rows: [any SQLRow] = []
            for query in finalQueries { rows += try await db.raw(query).all() }
            return rows
        }
        var seen = Set<Int64>()
        let orders = try rows.map(Self.order(from:)).filter { seen.insert($0.orderID).inserted }.sorted { $0.orderID > $1.orderID }
        return try SQLWebhookEventStore.page(orders, limit: query.page.limit, id: \.orderID)
    }

    public func order(id: Int64) async throws -> StoredOrder? {
        let row = try await database.read { sql in
            try await sql.raw("SELECT * FROM orders WHERE order_id = \(bind: id)").first()
        }
        return try row.map(Self.order(from:))
    }

    /// Every event of an order, oldest first: its history.
    public func history(orderID: Int64) async throws -> [StoredEvent] {
        let shown = OrderProjection().shownColumns
        let rows = try await database.read { sql in
            try await sql.raw(
                """
                SELECT \(unsafeRaw: SQLWebhookEventStore.eventColumns(shown: shown)) FROM webhook_events
                WHERE order_id = \(bind: orderID) ORDER BY id
                """
            ).all()
        }
        return try rows.map { try SQLWebhookEventStore.event(from: $0, shown: shown) }
    }

    static func order(from row: any SQLRow) throws -> StoredOrder {
        StoredOrder(
            orderID: try row.decode(column: "order_id", as: Int64.self),
            state: OrderState(rawValue: try row.decode(column: "state", as: String.self)) ?? .created,
            thingID: try row.decode(column: "thing_id", as: Int64?.self),
            amount: try row.decode(column: "amount", as: String?.self),
            fees: try row.decode(column: "fees", as: String?.self),
            addDate: try row.decode(column: "add_date", as: String?.self),
            modifiedDate: try row.decode(column: "modified_date", as: String?.self),
            creationSeen: try row.decode(column: "creation_seen", as: Bool.self),
            eventCount: try row.decode(column: "event_count", as: Int.self),
            firstReceivedAt: Timestamp.date(try row.decode(column: "first_received_at", as: Int64.self)),
            lastReceivedAt: Timestamp.date(try row.decode(column: "last_received_at", as: Int64.self))
        )
    }
}
