/// Where a stored event came from. The raw value is stored with the event and names it in
/// relayed types (`thingiverse.order.created`, `userecho.topic.created`).
public enum EventSource: String, Sendable, Codable, CaseIterable {
    case thingiverse
    case userecho
}

/// What a webhook source hands the event log once it has verified and parsed a delivery at
/// its edge: a name, what makes two deliveries the same, and (Thingiverse's order events only)
/// the order whose state the log recomputes in the same transaction.
public protocol LoggedEvent: Sendable {
    var source: EventSource { get }
    /// The event name as stored, e.g. `order_created` or `topic.created`.
    var eventName: String { get }
    /// Equal for two deliveries of the same event, and for nothing else.
    func dedupeKey(body: [UInt8]) -> String
    /// The order the event belongs to, if any (shown in its history).
    var orderID: Int64? { get }
    /// The order's facts for the documented order events, whose order row is recomputed.
    var orderDetails: OrderDetails? { get }
}
