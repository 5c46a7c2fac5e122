import Foundation

/// Where webhook deliveries are kept: events, the orders they add up to, quarantined bodies and
/// the confirmation queue. ``SQLWebhookEventStore`` is the real one (SQLite or PostgreSQL).
public protocol WebhookEventStore: Sendable {
    /// Stores an event durably (with its order's recomputed state) or finds the earlier copy.
    /// Returns only after the commit.
    func record(_ event: IncomingEvent) async throws -> RecordOutcome
    /// Keeps a body that could not be accepted, with the reason; returns its id.
    func quarantine(rawBody: [UInt8], reason: String, receivedAt: Date, source: EventSource) async throws -> Int64

    /// Events matching `query`, newest first.
    func events(_ query: EventQuery) async throws -> Page<StoredEvent>
    /// One event with its raw body, or `nil`.
    func event(id: Int64) async throws -> StoredEvent?
    /// Orders matching `query`, highest order id first.
    func orders(_ query: OrderQuery) async throws -> Page<StoredOrder>
    /// One order's state and facts, or `nil`.
    func order(id: Int64) async throws -> StoredOrder?
    /// An order's events, oldest first.
    func history(orderID: Int64) async throws -> [StoredEvent]
    /// Quarantined bodies, newest first.
    func quarantined(_ query: PageQuery) async throws -> Page<QuarantinedDelivery>

    /// Takes up to `limit` events whose confirmation is due, leasing them for `lease` so that no
    /// other instance takes them meanwhile.
    func claimDueConfirmations(limit: Int, now: Date, lease: Duration) async throws -> [ConfirmationTask]
    /// Records the result of one confirmation attempt.
    func completeConfirmation(eventID: Int64, result: ConfirmationResult, now: Date) async throws
}

/// An authenticated, parsed delivery from any source, ready to be stored.
public struct IncomingEvent: Sendable {
    public var delivery: any LoggedEvent
    public var rawBody: [UInt8]
    public var receivedAt: Date
    /// `pending` when order events are confirmed against the API, `unconfirmed` otherwise.
    public var confirmation: ConfirmationStatus

    public init(delivery: any LoggedEvent, rawBody: [UInt8], receivedAt: Date, confirmation: ConfirmationStatus = .unconfirmed) {
        self.delivery = delivery
        self.rawBody = rawBody
        self.receivedAt = receivedAt
        self.confirmation = confirmation
    }
}

/// The answer to a delivery: the event's id, and whether it had been stored before.
public struct RecordOutcome: Sendable, Equatable {
    public var id: Int64
    public var duplicate: Bool
}

/// Whether an order event has been checked against Thingiverse's API.
public enum ConfirmationStatus: String, Sendable, Codable, CaseIterable {
    /// No `THINGIVERSE_APP_TOKEN`, or not an order event: never checked.
    case unconfirmed
    /// Waiting in the confirmation queue.
    case pending
    /// The API has the order with the same id, thing, amount and date.
    case confirmed
    /// The API has the order but some fields differ (see the detail).
    case mismatch
    /// The API does not know the order.
    case notFound = "not_found"
}

/// A due confirmation: which order to look up and what the webhook said about it.
public struct ConfirmationTask: Sendable, Equatable {
    public var eventID: Int64
    public var order: OrderDetails
    /// Attempts made before this one.
    public var attempts: Int
}

/// The outcome of one confirmation attempt.
public enum ConfirmationResult: Sendable, Equatable {
    case confirmed
    case mismatch([FieldDifference])
    case notFound
    /// Not decided (network, 5xx, rate limited): try again at `retryAt`.
    case retry(at: Date, reason: String)
}

/// One field on which the webhook and the API disagree.
public struct FieldDifference: Sendable, Equatable, Codable {
    public var field: String
    public var webhook: String?
    public var api: String?
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
    public var orderID: Int64?
    /// Received at or after.
    public var since: Date?
    /// Received before.
    public var until: Date?
    public var page: PageQuery

    public init(
        source: EventSource? = nil, event: String? = nil, orderID: Int64? = nil, since: Date? = nil, until: Date? = nil, page: PageQuery = PageQuery()
    ) {
        self.source = source
        self.event = event
        self.orderID = orderID
        self.since = since
        self.until = until
        self.page = page
    }
}

/// Filters for the order listing (highest order id first).
public struct OrderQuery: Sendable {
    public var state: OrderState?
    /// Only orders of this thing.
    public var thingID: Int64?
    /// Orders whose order id or thing id is this number (the dashboard's search box).
    public var search: Int64?
    public var page: PageQuery

    public init(state: OrderState? = nil, thingID: Int64? = nil, search: Int64? = nil, page: PageQuery = PageQuery()) {
        self.state = state
        self.thingID = thingID
        self.search = search
        self.page = page
    }
}

/// A stored event as the admin API and the CLI show it.
public struct StoredEvent: Sendable {
    public var id: Int64
    public var source: EventSource
    public var receivedAt: Date
    public var event: String
    public var orderID: Int64?
    public var dedupeKey: String
    /// The parsed order fields (order events only).
    public var fields: JSONValue?
    public var confirmation: ConfirmationStatus
    /// Differing fields for a mismatch, or the last error while pending.
    public var confirmationDetail: JSONValue?
    public var confirmationAttempts: Int
    public var rawBody: [UInt8]
}

/// An order's current state and facts, from all its events.
public struct StoredOrder: Sendable {
    public var orderID: Int64
    public var state: OrderState
    public var thingID: Int64?
    public var amount: String?
    public var fees: String?
    public var addDate: String?
    public var modifiedDate: String?
    /// Whether `order_created` has been seen (a refund can arrive first).
    public var creationSeen: Bool
    public var eventCount: Int
    public var firstReceivedAt: Date
    public var lastReceivedAt: Date
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
