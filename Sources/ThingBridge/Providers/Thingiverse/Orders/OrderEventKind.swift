/// The order events Thingiverse documents, by their `event` name.
public enum OrderEventKind: String, Sendable, CaseIterable, Codable {
    case created = "order_created"
    case refundRequested = "refund_requested"
    case refunded = "order_refunded"
}

extension EventSource {
    /// Thingiverse's order webhooks.
    public static let thingiverse = EventSource(rawValue: "thingiverse")
}
