import SQLKit

/// What a source adds to the event log beyond storing its events: columns of its own on the
/// event's row, and work in the very transaction that stores them (Thingiverse's order rows),
/// so a projection is never behind or ahead of its events. The log takes its projections when
/// it is made and calls each only for its own source's new events, never for repeats.
public protocol EventProjection: Sendable {
    /// The source whose events it projects.
    var source: EventSource { get }
    /// Columns of `webhook_events` it fills, each with the value other sources' events get.
    var columns: [ProjectedColumn] { get }
    /// The event's values for ``columns``, in their order. Called for each delivery before it
    /// reaches the single writer, repeats included (a repeat's row is not written).
    /// - Parameter receivedAt: microseconds since 1970, as stored.
    func values(for event: any LoggedEvent, receivedAt: Int64) -> [ProjectedValue]
    /// Runs inside the transaction that stored `events` (the new events of its source in this
    /// write, in arrival order), before the relay's outbox rows are added and it commits. An
    /// error fails the write, so the events are not stored either.
    func project(_ events: [ProjectedEvent], sql: any SQLDatabase, dialect: Database.Dialect) async throws
    /// What it adds to its events' relayed data, read when each delivery is made.
    var relayAnnotations: [RelayAnnotation] { get }
}

extension EventProjection {
    public var relayAnnotations: [RelayAnnotation] { [] }
}

/// A value a projection adds to relayed events' `"thingbridge"` object (Thingiverse's
/// `order_state`): the state of its own rows when the delivery is made, not when it was queued.
public struct RelayAnnotation: Sendable, Equatable {
    /// The key in `"thingbridge"`.
    public var key: String
    /// A query over the event's row, `e`, giving one text value or none (code, never input: it
    /// is written into the statement).
    public var query: String

    public init(key: String, query: String) {
        self.key = key
        self.query = query
    }
}

/// A column a projection fills on its events' rows.
public struct ProjectedColumn: Sendable, Equatable {
    /// The column's name in `webhook_events` (code, never input: it is written into the statement).
    public var name: String
    /// What events of other sources store in it.
    public var otherwise: ProjectedValue

    public init(name: String, otherwise: ProjectedValue = .null) {
        self.name = name
        self.otherwise = otherwise
    }
}

/// One value of a projected column.
public enum ProjectedValue: Sendable, Equatable {
    case integer(Int64?)
    case text(String?)

    public static let null = ProjectedValue.integer(nil)
}

/// A newly stored event as its projection sees it.
public struct ProjectedEvent: Sendable {
    /// Its id in the log.
    public var id: Int64
    public var event: any LoggedEvent
    /// Microseconds since 1970.
    public var receivedAt: Int64
}

extension SQLQueryString {
    mutating func appendInterpolation(projected value: ProjectedValue) {
        switch value {
        case .integer(let number): appendInterpolation(integer: number)
        case .text(let text): appendInterpolation(bind: text)
        }
    }
}
