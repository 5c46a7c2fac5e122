/// Scripted sequences of order webhooks for one order.
public enum WebhookScenario: String, CaseIterable, Sendable {
    /// `order_created`, then `refund_requested`, then `order_refunded`.
    case lifecycle
    /// The same three events out of order and with duplicates:
    /// `order_refunded`, `order_created`, `order_refunded`, `refund_requested`, `order_created`.
    case shuffled

    /// The event names in sending order.
    public var events: [String] {
        switch self {
        case .lifecycle:
            return ["order_created", "refund_requested", "order_refunded"]
        case .shuffled:
            return ["order_refunded", "order_created", "order_refunded", "refund_requested", "order_created"]
        }
    }

    /// The order as it stands at `event`. The same event always gives the same order, so a
    /// repeated event is a byte-identical redelivery.
    static func order(id: String, at event: String) -> SimulatedOrder {
        var order = SimulatedOrder.sample(id: id)
        let states: [String: (status: String, isShipped: Bool, modified: String)] = [
            "order_created": ("paid", false, order.addDate),
            "refund_requested": ("refund_requested", true, "2016-04-29 08:03:38"),
            "order_refunded": ("refunded", true, "2016-04-30 11:15:02"),
        ]
        if let state = states[event] {
            (order.status, order.isShipped, order.modifiedDate) = state
        }
        return order
    }
}
