/// The bodies Thingiverse POSTs to an app's webhook URL, byte for byte in the documented
/// shape: `{"event":"...","order":{...}}` with every order field a string.
public struct WebhookPayload: Sendable {
    /// The "Test" button's body: `{"event":"ping"}`.
    public static func ping() -> [UInt8] {
        JSONValue.object([("event", .string("ping"))]).bytes
    }

    /// An order event (`order_created`, `refund_requested`, `order_refunded`, or any other name).
    public static func order(event: String, order: SimulatedOrder) -> [UInt8] {
        JSONValue.object([("event", .string(event)), ("order", order.json)]).bytes
    }
}
