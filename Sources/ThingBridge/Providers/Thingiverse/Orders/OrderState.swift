/// Where an order stands, as far as its webhook events tell.
///
/// The state is a pure function of the *set* of events seen: each event can only move the
/// order forward (created → refund requested → refunded), so folding the events in any order,
/// with any repeats, ends in the same state. A refund seen before its creation ends refunded;
/// a late `order_created` never undoes a refund.
public enum OrderState: String, Sendable, Codable, CaseIterable {
    case created
    case refundRequested = "refund_requested"
    case refunded

    /// The state of an order after `events`, in whatever order they arrived; `nil` for no events.
    public init?(events: some Sequence<OrderEventKind>) {
        var state: OrderState?
        for event in events {
            state = OrderState.after(state, event)
        }
        guard let state else { return nil }
        self = state
    }

    /// One step of the state machine: the state once `event` has also been seen.
    public static func after(_ state: OrderState?, _ event: OrderEventKind) -> OrderState {
        switch (state, event) {
        case (nil, .created): .created
        case (nil, .refundRequested): .refundRequested
        case (nil, .refunded): .refunded
        case (.created, .created): .created
        case (.created, .refundRequested): .refundRequested
        case (.created, .refunded): .refunded
        // A creation arriving after a refund request is old news.
        case (.refundRequested, .created): .refundRequested
        case (.refundRequested, .refundRequested): .refundRequested
        case (.refundRequested, .refunded): .refunded
        // Nothing undoes a granted refund.
        case (.refunded, .created): .refunded
        case (.refunded, .refundRequested): .refunded
        case (.refunded, .refunded): .refunded
        }
    }
}
