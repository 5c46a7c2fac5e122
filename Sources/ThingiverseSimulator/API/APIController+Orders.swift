import HTTPTypes

extension APIController {
    /// The `orders/...` endpoints of `routes`, each with its handler.
    static let orderRoutes: [APIRoute] = [
        APIRoute(.get, "orders") { _, state, call in .list(state.orders[call.token.clientID, default: []].map(\.json)) },
        APIRoute(.get, "orders/:id") { .object($1.orders[$2.token.clientID, default: []][try $0.orderIndex($1, $2)].json) },
        // Changes `is_shipped`, `status` and `note` (only those sent) of an order of the token's app, stamps
        // `modified_date`, and queues the matching webhook for the app's webhook URL: `refund_requested` and
        // `order_refunded` as documented, and the simulator's own `order_shipped` (shipped) or `order_updated`
        // (anything else).
        APIRoute(.patch, "orders/:id") { api, state, call throws(APIError) in
            let index = try api.orderIndex(state, call)
            let fields = try call.bodyFields()
            var order = state.orders[call.token.clientID, default: []][index]
            let before = order
            if let status = try fields.choice("status", in: Self.orderStatuses) {
                order.status = status
                if status == "shipped" { order.isShipped = true }
            }
            if let shipped = try fields.bool("is_shipped") { order.isShipped = shipped }
            if let note = try fields.string("note") { order.note = note }
            guard order != before else { return .object(order.json) }
            order.modifiedDate = Timestamp.orderDate(call.now)
            state.orders[call.token.clientID, default: []][index] = order
            if let url = call.webhookURL {
                let event = Self.webhookEvent(from: before, to: order)
                state.outbox.append(OutgoingDelivery(event: event, url: url, body: WebhookPayload.order(event: event, order: order)))
            }
            return .object(order.json)
        },
    ]

    /// The index of order `:id` among the token's app's orders (404 when it has none such).
    func orderIndex(_ state: SimulatorState, _ call: APICall) throws(APIError) -> Int {
        let id = call.parameter("id")
        guard let index = state.orders[call.token.clientID, default: []].firstIndex(where: { $0.id == id }) else {
            throw .notFound("No order \(id) exists for this app.")
        }
        return index
    }

    /// Order statuses `PATCH /orders/{id}` accepts.
    static let orderStatuses: Set<String> = ["paid", "shipped", "refund_requested", "refunded", "cancelled"]

    /// The event name a change of `before` into `after` is announced with.
    static func webhookEvent(from before: SimulatedOrder, to after: SimulatedOrder) -> String {
        if after.status != before.status {
            switch after.status {
            case "refund_requested": return "refund_requested"
            case "refunded": return "order_refunded"
            default: break
            }
        }
        if after.isShipped && !before.isShipped { return "order_shipped" }
        return "order_updated"
    }
}
