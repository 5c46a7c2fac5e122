/// Where a stored event came from: the provider whose webhooks sent it. The raw value is
/// stored with the event and names it in relayed types (`thingiverse.order.created`,
/// `userecho.topic.created`). Each provider names its own (`EventSource.thingiverse`) in its
/// folder; `Providers/BuiltInProviders.swift` lists them (``EventSource/builtIn``).
public struct EventSource: RawRepresentable, Hashable, Sendable, Codable {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }
}

/// What a webhook source hands the event log once it has verified and parsed a delivery at
/// its edge. The log stores it as it is; what a source makes of its events beyond that (rows
/// of its own, columns on the event) is its ``EventProjection``.
public protocol LoggedEvent: Sendable {
    var source: EventSource { get }
    /// The event name as stored, e.g. `order_created` or `topic.created`.
    var eventName: String { get }
    /// Equal for two deliveries of the same event, and for nothing else.
    func dedupeKey(body: [UInt8]) -> String
    /// What the event is about, if the source numbers such things (Thingiverse: its order):
    /// events with the same subject are its history.
    var subjectID: Int64? { get }
    /// The parsed fields kept beside the raw body, as JSON text, if any.
    var fieldsJSON: String? { get }
}

/// Why a source refused a delivery's body at its edge: it is kept in quarantine with this
/// reason instead of stored as an event.
public struct DeliveryRejection: Error, Sendable, Equatable {
    public let reason: String

    public init(reason: String) {
        self.reason = reason
    }
}
