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
        switch event {
        case "order_created":
            order.status = "paid"
            order.isShipped = false
            order.modifiedDate = order.addDate
        case "refund_requested":
            order.status = "refund_requested"
            order.isShipped = true
            order.modifiedDate = "2016-04-29 08:03:38"
        case "order_refunded":
            order.status = "refunded"
            order.isShipped = true
            order.modifiedDate = "2016-04-30 11:15:02"
        default:
            break
        }
        return order
    }
}
