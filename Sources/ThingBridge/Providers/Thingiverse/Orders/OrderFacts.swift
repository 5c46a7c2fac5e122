/// What an order's events add up to: its ``OrderState`` and its latest known facts.
///
/// Like the state, the facts depend only on the set of events: each field comes from the
/// event with the newest `modified_date` that has it (ties go to the event stored later).
struct OrderFacts: Sendable, Equatable {
    struct Event: Sendable {
        let id: Int64
        let kind: OrderEventKind
        let details: OrderDetails
        /// Microseconds since 1970.
        let receivedAt: Int64
    }

    let state: OrderState
    let thingID: Int64?
    let amount: DecimalAmount?
    let fees: DecimalAmount?
    let addDate: OrderTimestamp?
    let modifiedDate: OrderTimestamp?
    let creationSeen: Bool
    let eventCount: Int
    let firstReceivedAt: Int64
    let lastReceivedAt: Int64

    init?(events: [Event]) {
        guard let state = OrderState(events: events.map(\.kind)) else { return nil }
        let newestFirst = events.sorted { left, right in
            let leftDate = left.details.modifiedDate?.sortable ?? ""
            let rightDate = right.details.modifiedDate?.sortable ?? ""
            return leftDate != rightDate ? leftDate > rightDate : left.id > right.id
        }
        self.state = state
        self.thingID = newestFirst.lazy.compactMap(\.details.thingID).first
        self.amount = newestFirst.lazy.compactMap(\.details.amount).first
        self.fees = newestFirst.lazy.compactMap(\.details.fees).first
        self.addDate = newestFirst.lazy.compactMap(\.details.addDate).first
        self.modifiedDate = newestFirst.lazy.compactMap(\.details.modifiedDate).first
        self.creationSeen = events.contains { $0.kind == .created }
        self.eventCount = events.count
        self.firstReceivedAt = events.map(\.receivedAt).min()!
        self.lastReceivedAt = events.map(\.receivedAt).max()!
    }
}
