/// The order events Thingiverse documents, by their `event` name.
public enum OrderEventKind: String, Sendable, CaseIterable, Codable {
    case created = "order_created"
    case refundRequested = "refund_requested"
    case refunded = "order_refunded"
}
