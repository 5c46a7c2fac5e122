import SQLKit

/// Retention as orders need it: an event waiting for its confirmation is kept, and what pruned
/// order events added up to is folded into their order's `pruned_events` in the transaction
/// that deletes them, so no order, fact or figure changes.
extension OrderProjection {
    public var keptWhile: String? { "e.confirmation_status = 'pending'" }

    public func willPrune(_ events: [PrunedEvent], sql: any SQLDatabase, dialect: Database.Dialect) async throws {
        var orderEvents: [Int64: [OrderFacts.Event]] = [:]
        for stored in events {
            guard let orderID = stored.subjectID, let event = OrderFacts.Event(stored) else { continue }
            orderEvents[orderID, default: []].append(event)
        }
        guard !orderEvents.isEmpty else { return }
        let orderIDs = orderEvents.keys.sorted()
        if dialect == .postgres {
            // The same per-order locks as a recomputation: it sees the events or their summary, never neither.
            try await sql.raw(
                """
                SELECT pg_advisory_xact_lock(\(literal: Self.orderLockClass), hashtext(id::text))
                FROM unnest(\(bind: orderIDs)::bigint[]) AS id
                """
            ).run()
        }
        for row in try await sql.raw("SELECT order_id, pruned_events FROM orders WHERE order_id IN (\(binds: orderIDs))").all() {
            let orderID = try row.decode(column: "order_id", as: Int64.self)
            let previous = PrunedOrderEvents(stored: try row.decode(column: "pruned_events", as: String?.self))
            guard let summary = PrunedOrderEvents(events: orderEvents[orderID] ?? [], adding: previous) else { continue }
            try await sql.raw("UPDATE orders SET pruned_events = \(bind: summary.stored) WHERE order_id = \(integer: orderID)").run()
        }
    }
}

extension OrderFacts.Event {
    /// A stored order event as every reader of the log reads it (a recomputation, retention);
    /// `nil` for an event that is not about an order.
    /// - Parameter known: its order, when already parsed; otherwise its stored fields are.
    init?(_ stored: PrunedEvent, known: OrderDetails? = nil) {
        guard let orderID = stored.subjectID, let kind = OrderEventKind(rawValue: stored.event) else { return nil }
        let details =
            known ?? stored.fields.flatMap { try? JSONParser.parse(Array($0.utf8)) }.flatMap { try? OrderDetails(json: $0) }
        self.init(id: stored.id, kind: kind, details: details ?? OrderDetails(id: orderID), receivedAt: stored.receivedAt)
    }
}
