import Foundation

/// The one event log: every source's webhook deliveries, deduplicated, and quarantined bodies.
/// ``SQLWebhookEventStore`` is the real one (SQLite or PostgreSQL); what a source makes of its
/// events is its ``EventProjection``, and its own reads of that (Thingiverse's orders) are its own.
public protocol WebhookEventStore: Sendable {
    /// Stores an event durably (with what its source's projection adds) or finds the earlier copy.
    /// Returns only after the commit.
    func record(_ event: IncomingEvent) async throws -> RecordOutcome
    /// Keeps a body that could not be accepted, with the reason; returns its id.
    func quarantine(rawBody: [UInt8], reason: String, receivedAt: Date, source: EventSource) async throws -> Int64

    /// Events matching `query`, newest first.
    func events(_ query: EventQuery) async throws -> Page<StoredEvent>
    /// One event with its raw body, or `nil`.
    func event(id: Int64) async throws -> StoredEvent?
    /// Quarantined bodies, newest first.
    func quarantined(_ query: PageQuery) async throws -> Page<QuarantinedDelivery>
}

/// An authenticated, parsed delivery from any source, ready to be stored.
public struct IncomingEvent: Sendable {
    public var delivery: any LoggedEvent
    public var rawBody: [UInt8]
    public var receivedAt: Date

    public init(delivery: any LoggedEvent, rawBody: [UInt8], receivedAt: Date) {
        self.delivery = delivery
        self.rawBody = rawBody
        self.receivedAt = receivedAt
    }
}

/// The answer to a delivery: the event's id, and whether it had been stored before.
public struct RecordOutcome: Sendable, Equatable {
    public var id: Int64
    public var duplicate: Bool
}

/// One page of a listing and the cursor of the next page (`nil` on the last page).
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var nextCursor: String?
}

/// Listing size and position, shared by every listing.
public struct PageQuery: Sendable {
    public static let maximumLimit = 500
    /// Items per page, 1 to ``maximumLimit``.
    public var limit: Int
    /// The `next_cursor` of the previous page, or `nil` for the first page.
    public var cursor: String?

    public init(limit: Int = 50, cursor: String? = nil) {
        self.limit = min(max(limit, 1), Self.maximumLimit)
        self.cursor = cursor
    }
}

/// Filters for the event listing (newest first).
public struct EventQuery: Sendable {
    public var source: EventSource?
    public var event: String?
    /// Only events about this subject (Thingiverse: an order id).
    public var subjectID: Int64?
    /// Received at or after.
    public var since: Date?
    /// Received before.
    public var until: Date?
    public var page: PageQuery

    public init(
        source: EventSource? = nil, event: String? = nil, subjectID: Int64? = nil, since: Date? = nil, until: Date? = nil,
        page: PageQuery = PageQuery()
    ) {
        (self.source, self.event, self.subjectID, self.since, self.until, self.page) = (source, event, subjectID, since, until, page)
    }
}

/// A stored event as the admin API and the CLI show it.
public struct StoredEvent: Sendable {
    public var id: Int64
    public var source: EventSource
    public var receivedAt: Date
    public var event: String
    /// What the event is about (``LoggedEvent/subjectID``).
    public var subjectID: Int64?
    public var dedupeKey: String
    /// The parsed fields its source kept (``LoggedEvent/fieldsJSON``).
    public var fields: JSONValue?
    /// The projections' columns shown with it (``EventProjection/shownColumns``), in order.
    public var shown: [ShownValue]
    public var rawBody: [UInt8]

    /// The shown value under `key`, if a projection shows one.
    public subscript(shown key: String) -> JSONValue? {
        shown.first { $0.column.key == key }?.value
    }
}

/// One shown column's value for one event.
public struct ShownValue: Sendable {
    public var column: ShownColumn
    public var value: JSONValue

    /// As a table cell: text as it is, `-` for none, anything else as JSON.
    public var tableText: String {
        switch value {
        case .string(let text): text
        case .null: "-"
        default: value.serialized
        }
    }
}

/// A body that was authenticated but could not be accepted.
public struct QuarantinedDelivery: Sendable {
    public var id: Int64
    public var source: EventSource
    public var receivedAt: Date
    public var reason: String
    public var rawBody: [UInt8]
}

/// A place in the events' (received time, id) order, where the next batch of an archive starts.
public struct EventPosition: Sendable, Equatable {
    /// Microseconds since 1970.
    public var receivedAt: Int64
    public var id: Int64
}
