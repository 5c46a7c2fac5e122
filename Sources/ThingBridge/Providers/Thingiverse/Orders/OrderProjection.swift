import Foundation
import SQLKit

/// Thingiverse's orders as a projection of the event log. Each order event fills its row's
/// order columns (thing, amount, modification time, confirmation), and in the transaction that
/// stores it, its order's row is recomputed from all of the order's events (and what its pruned
/// events added up to), so its state is right whatever the arrival order; the day figures
/// change with it.
public struct OrderProjection: EventProjection {
    /// Whether new order events wait for a check against the API (`THINGIVERSE_APP_TOKEN` set).
    public let confirmsOrders: Bool

    public init(confirmsOrders: Bool = false) {
        self.confirmsOrders = confirmsOrders
    }

    public var source: EventSource { .thingiverse }

    public var columns: [ProjectedColumn] {
        [
            ProjectedColumn(name: "thing_id"), ProjectedColumn(name: "amount"), ProjectedColumn(name: "modified_at"),
            ProjectedColumn(name: "confirmation_status", otherwise: .text(ConfirmationStatus.unconfirmed.rawValue)),
            ProjectedColumn(name: "confirmation_due_at"),
        ]
    }

    public func values(for event: any LoggedEvent, receivedAt: Int64) -> [ProjectedValue] {
        guard case .order(_, let order)? = event as? WebhookDelivery else {
            return [.null, .null, .null, .text(ConfirmationStatus.unconfirmed.rawValue), .null]
        }
        // Only order events are confirmed against the API; a pending one is due at once.
        let status: ConfirmationStatus = confirmsOrders ? .pending : .unconfirmed
        return [
            .integer(order.thingID), .text(order.amount?.text), .text(order.modifiedDate?.sortable), .text(status.rawValue),
            .integer(confirmsOrders ? receivedAt : nil),
        ]
    }

    /// Relayed order events say what state their order is in by the time they are sent.
    public var relayAnnotations: [RelayAnnotation] {
        [RelayAnnotation(key: "order_state", query: "SELECT state FROM orders WHERE order_id = e.order_id")]
    }

    /// Its three order events are relayed as `thingiverse.order.created`, `.refund_requested`
    /// and `.refunded`; its others keep the log's rule.
    public func relayType(of event: String) -> String? {
        switch OrderEventKind(rawValue: event) {
        case .created: "thingiverse.order.created"
        case .refundRequested: "thingiverse.order.refund_requested"
        case .refunded: "thingiverse.order.refunded"
        case nil: nil
        }
    }

    /// Every event shows its confirmation (listings its status only).
    public var shownColumns: [ShownColumn] {
        [
            ShownColumn(key: "confirmation", column: "confirmation_status", kind: .text, inListings: true),
            ShownColumn(key: "confirmation_detail", column: "confirmation_detail", kind: .json),
            ShownColumn(key: "confirmation_attempts", column: "confirmation_attempts", kind: .integer),
        ]
    }

    public func project(_ events: [ProjectedEvent], sql: any SQLDatabase, dialect: Database.Dialect) async throws {
        // The orders of these events are known already; only older events' fields are read back.
        var touched = Set<Int64>()
        var known: [Int64: OrderDetails] = [:]
        for event in events {
            guard case .order(_, let order)? = event.event as? WebhookDelivery else { continue }
            touched.insert(order.id)
            known[event.id] = order
        }
        guard !touched.isEmpty else { return }
        try await Self.refreshOrders(touched.sorted(), known: known, sql: sql, dialect: dialect)
    }

    /// Recomputes orders' rows from every order event stored for them.
    ///
    /// On PostgreSQL a transaction-scoped lock per order (taken in id order, so two writers
    /// cannot deadlock) makes concurrent instances take turns: the last to commit has seen
    /// every earlier event.
    ///
    /// - Parameter known: parsed orders by event id, for events whose stored fields need not be parsed again.
    static func refreshOrders(
        _ orderIDs: [Int64], known: [Int64: OrderDetails] = [:], sql: any SQLDatabase, dialect: Database.Dialect
    ) async throws {
        if dialect == .postgres {
            // `orderIDs` is sorted and unnest keeps its order.
            try await sql.raw(
                "SELECT pg_advisory_xact_lock(\(literal: Self.orderLockClass), hashtext(id::text)) FROM unnest(\(bind: orderIDs)::bigint[]) AS id"
            ).run()
        }
        // Only the order id is filtered on: with `event IN (...)` as well, SQLite may pick the
        // event index and scan every event of that kind (measured: 0.5 ms per delivery at 100k rows).
        // Unknown events of the order are skipped below.
        let rows = try await sql.raw(
            "SELECT \(unsafeRaw: PrunedEvent.columns) FROM webhook_events WHERE order_id IN (\(binds: orderIDs))"
        ).all()
        var eventsByOrder: [Int64: [OrderFacts.Event]] = [:]
        for row in rows {
            let stored = try PrunedEvent(row: row)
            guard let orderID = stored.subjectID, let event = OrderFacts.Event(stored, known: known[stored.id]) else { continue }
            eventsByOrder[orderID, default: []].append(event)
        }
        // The rows as they stand: what the figures take away, and what pruned events added up to.
        var before: [Int64: OrderFigures.Snapshot] = [:]
        var pruned: [Int64: PrunedOrderEvents] = [:]
        for row in try await sql.raw(
            """
            SELECT order_id, state, amount, add_date, modified_date, first_received_at, last_received_at, pruned_events
            FROM orders WHERE order_id IN (\(binds: orderIDs))
            """
        ).all() {
            let orderID = try row.decode(column: "order_id", as: Int64.self)
            before[orderID] = try OrderFigures.Snapshot(row: row)
            pruned[orderID] = PrunedOrderEvents(stored: try row.decode(column: "pruned_events", as: String?.self))
        }
        var after: [Int64: OrderFigures.Snapshot] = [:]
        var query: SQLQueryString = """
            INSERT INTO orders (order_id, state, thing_id, amount, fees, add_date, modified_date, creation_seen, event_count,
                first_received_at, last_received_at) VALUES
            """
        var count = 0
        for orderID in orderIDs {
            guard let events = eventsByOrder[orderID], let facts = OrderFacts(events: events, pruned: pruned[orderID]) else { continue }
            after[orderID] = OrderFigures.Snapshot(facts)
            query += count == 0 ? " " : ", "
            query += """
                (\(integer: orderID), \(bind: facts.state.rawValue), \(integer: facts.thingID), \(bind: facts.amount?.text), \
                \(bind: facts.fees?.text), \(bind: facts.addDate?.original), \(bind: facts.modifiedDate?.original), \
                \(bind: facts.creationSeen), \(integer: facts.eventCount), \(integer: facts.firstReceivedAt), \(integer: facts.lastReceivedAt))
                """
            count += 1
        }
        guard count > 0 else { return }
        query += """
             ON CONFLICT (order_id) DO UPDATE SET state = excluded.state, thing_id = excluded.thing_id, amount = excluded.amount,
                fees = excluded.fees, add_date = excluded.add_date, modified_date = excluded.modified_date,
                creation_seen = excluded.creation_seen, event_count = excluded.event_count,
                first_received_at = excluded.first_received_at, last_received_at = excluded.last_received_at
            """
        try await sql.raw(query).run()
        try await OrderFigures.apply(OrderFigures.changes(before: before, after: after), sql: sql)
    }

    /// The first key of PostgreSQL's two-key advisory locks, reserved for order rows.
    static let orderLockClass = 0x7462_6F72  // "tbor"
}
