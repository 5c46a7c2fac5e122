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
    /// The type one of its source's events is relayed as, or `nil` for the log's own rule,
    /// `<source>.<event>` (Thingiverse's `order_created` is `thingiverse.order.created`).
    func relayType(of event: String) -> String?
    /// Its columns shown with every event by the admin API and the CLI (Thingiverse's
    /// confirmation), in their order.
    var shownColumns: [ShownColumn] { get }
    /// Retention: a condition over the event's row, `e`, under which an event is kept however
    /// old it is (code, never input: it is written into the statement), e.g. while a check of it
    /// is pending.
    var keptWhile: String? { get }
    /// Runs inside the transaction that prunes `events` (its source's, oldest first), before
    /// they are deleted, so that what they added up to stays (an order's summary). An error
    /// fails the batch, so nothing of it is deleted.
    func willPrune(_ events: [PrunedEvent], sql: any SQLDatabase, dialect: Database.Dialect) async throws
}

extension EventProjection {
    public var relayAnnotations: [RelayAnnotation] { [] }
    public func relayType(of event: String) -> String? { nil }
    public var shownColumns: [ShownColumn] { [] }
    public var keptWhile: String? { nil }
    public func willPrune(_ events: [PrunedEvent], sql: any SQLDatabase, dialect: Database.Dialect) async throws {}
}

/// A column of its own that a projection shows with every event, of every source (the stored
/// value, or the column's `otherwise` for other sources' events).
public struct ShownColumn: Sendable, Equatable {
    /// How the stored value is shown.
    public enum Kind: Sendable, Equatable {
        case text
        case integer
        /// JSON text, shown parsed.
        case json
    }

    /// The key in the admin API's JSON (snake_case) and, upper-cased, the CLI's column.
    public var key: String
    /// The column in `webhook_events` (code, never input: it is written into the statement).
    public var column: String
    public var kind: Kind
    /// Whether listings show it too, or only a single event's view.
    public var inListings: Bool

    public init(key: String, column: String, kind: Kind, inListings: Bool = false) {
        (self.key, self.column, self.kind, self.inListings) = (key, column, kind, inListings)
    }
}

/// An event retention is about to delete, as its projection sees it.
public struct PrunedEvent: Sendable {
    public var id: Int64
    /// The event name as stored.
    public var event: String
    /// What it is about (``LoggedEvent/subjectID``).
    public var subjectID: Int64?
    /// The parsed fields its source kept, as JSON text.
    public var fields: String?
    /// Microseconds since 1970.
    public var receivedAt: Int64
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

extension PrunedEvent {
    /// The columns this reads: id, event, subject, fields, time.
    static let columns = "id, event, \(Migration.eventSubjectColumn), fields, received_at"

    /// An event row as ``columns`` select it.
    public init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: Int64.self)
        event = try row.decode(column: "event", as: String.self)
        subjectID = try row.decode(column: Migration.eventSubjectColumn, as: Int64?.self)
        fields = try row.decode(column: "fields", as: String?.self)
        receivedAt = try row.decode(column: "received_at", as: Int64.self)
    }
}

extension SQLQueryString {
    mutating func appendInterpolation(projected value: ProjectedValue) {
        switch value {
        case .integer(let number): appendInterpolation(integer: number)
        case .text(let text): appendInterpolation(bind: text)
        }
    }
}
