import Foundation

/// What an order's events add up to: its ``OrderState`` and its latest known facts.
///
/// Like the state, the facts depend only on the set of events: each field comes from the
/// event with the newest `modified_date` that has it (ties go to the event stored later).
/// Events removed by retention live on in the order's ``PrunedOrderEvents`` (what they added
/// up to), so an order's facts never change because old events were pruned.
struct OrderFacts: Sendable, Equatable {
    struct Event: Sendable {
        let id: Int64
        let kind: OrderEventKind
        let details: OrderDetails
        /// Microseconds since 1970.
        let receivedAt: Int64
    }

    let state: OrderState
    /// Each field's winning value as the events gave it; the typed facts below read it.
    private let summary: PrunedOrderEvents

    /// - Parameters:
    ///   - events: the order's stored events.
    ///   - pruned: what its pruned events added up to, if retention removed some.
    init?(events: [Event], pruned: PrunedOrderEvents? = nil) {
        guard let summary = PrunedOrderEvents(events: events, adding: pruned), let state = summary.state else { return nil }
        self.state = state
        self.summary = summary
    }

    var thingID: Int64? { summary.thingID.flatMap { Int64($0.value) } }
    var amount: DecimalAmount? { summary.amount.flatMap { DecimalAmount($0.value) } }
    var fees: DecimalAmount? { summary.fees.flatMap { DecimalAmount($0.value) } }
    var addDate: OrderTimestamp? { summary.addDate.flatMap { OrderTimestamp($0.value) } }
    var modifiedDate: OrderTimestamp? { summary.modifiedDate.flatMap { OrderTimestamp($0.value) } }
    var creationSeen: Bool { summary.creationSeen }
    var eventCount: Int { summary.eventCount }
    var firstReceivedAt: Int64 { summary.firstReceivedAt }
    var lastReceivedAt: Int64 { summary.lastReceivedAt }
}

/// What a set of an order's events adds up to, in a form that can be added to further events
/// exactly: per field the winning value with the key it won by (`modified_date`, event id).
///
/// Kept as JSON in `orders.pruned_events` once retention deletes the events themselves; folding
/// it with the remaining events gives the same facts as folding all of them, because each
/// fact is a maximum (state, field winners, last time), a minimum (first time), a sum (count)
/// or an "any" (creation seen).
struct PrunedOrderEvents: Sendable, Equatable, Codable {
    /// A field's value and what it won by: the event's sortable `modified_date` (empty when
    /// absent) and its id.
    struct Winner: Sendable, Equatable, Codable {
        var value: String
        var modified: String
        var id: Int64

        func beats(_ other: Winner?) -> Bool {
            guard let other else { return true }
            return modified != other.modified ? modified > other.modified : id > other.id
        }
    }

    // The defaults are what no events add up to.
    var state: OrderState? = nil
    var creationSeen = false
    var eventCount = 0
    var firstReceivedAt = Int64.max
    var lastReceivedAt = Int64.min
    var thingID: Winner? = nil
    var amount: Winner? = nil
    var fees: Winner? = nil
    var addDate: Winner? = nil
    var modifiedDate: Winner? = nil
}

extension PrunedOrderEvents {
    /// Folds `events` into `previous`; `nil` when both are empty.
    init?(events: [OrderFacts.Event], adding previous: PrunedOrderEvents? = nil) {
        guard previous != nil || !events.isEmpty else { return nil }
        var summary = previous ?? PrunedOrderEvents()
        for event in events {
            summary.state = OrderState.after(summary.state, event.kind)
            summary.creationSeen = summary.creationSeen || event.kind == .created
            summary.eventCount += 1
            summary.firstReceivedAt = min(summary.firstReceivedAt, event.receivedAt)
            summary.lastReceivedAt = max(summary.lastReceivedAt, event.receivedAt)
            let details = event.details
            let modified = details.modifiedDate?.sortable ?? ""
            func offer(_ value: String?, _ field: WritableKeyPath<PrunedOrderEvents, Winner?>) {
                guard let value else { return }
                let candidate = Winner(value: value, modified: modified, id: event.id)
                if candidate.beats(summary[keyPath: field]) { summary[keyPath: field] = candidate }
            }
            offer(details.thingID.map(String.init), \.thingID)
            offer(details.amount?.text, \.amount)
            offer(details.fees?.text, \.fees)
            offer(details.addDate?.original, \.addDate)
            offer(details.modifiedDate?.original, \.modifiedDate)
        }
        self = summary
    }

    /// The stored form (compact JSON).
    var stored: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    /// Reads the stored form; `nil` for `NULL` or text this version cannot read.
    init?(stored: String?) {
        guard let stored, let decoded = try? JSONDecoder().decode(PrunedOrderEvents.self, from: Data(stored.utf8)) else { return nil }
        self = decoded
    }
}
