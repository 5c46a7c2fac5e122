/// One order webhook the simulator sent because of an API write, and how it went.
public struct SentWebhook: Sendable, Equatable {
    /// e.g. `order_shipped`, `refund_requested`.
    public var event: String
    /// Where it was sent.
    public var url: String
    /// The receiver's HTTP status, or `nil` when it could not be reached.
    public var status: Int?
    /// Why it could not be sent, when `status` is `nil`.
    public var failure: String?
}
