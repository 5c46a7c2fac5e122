import Foundation

/// Thingiverse's orders as the event log's ``OrderProjection`` keeps them: the admin API's and
/// the CLI's reads, the day figures, and the confirmation queue. ``SQLOrderStore`` is the real
/// one (SQLite or PostgreSQL).
public protocol OrderStore: Sendable {
    /// Orders matching `query`, highest order id first.
    func orders(_ query: OrderQuery) async throws -> Page<StoredOrder>
    /// One order's state and facts, or `nil`.
    func order(id: Int64) async throws -> StoredOrder?
    /// An order's events, oldest first.
    func history(orderID: Int64) async throws -> [StoredEvent]
    /// The figures of days `since..<until` (`YYYY-MM-DD`, either open), counted by `basis`.
    func statistics(basis: FigureBasis, since: String?, until: String?) async throws -> OrderStatistics

    /// Takes up to `limit` events whose confirmation is due, leasing them for `lease` so that no
    /// other instance takes them meanwhile.
    func claimDueConfirmations(limit: Int, now: Date, lease: Duration) async throws -> [ConfirmationTask]
    /// Records the result of one confirmation attempt.
    func completeConfirmation(eventID: Int64, result: ConfirmationResult, now: Date) async throws
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

/// An order's current state and facts, from all its events, as the admin API and the CLI show it.
public struct StoredOrder: Sendable, Encodable {
    public var orderID: Int64
    public var state: OrderState
    public var thingID: Int64?
    /// Exact decimal text, e.g. `"14.53"`.
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
