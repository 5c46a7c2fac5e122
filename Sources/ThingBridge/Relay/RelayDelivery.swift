import Foundation
import HTTPTypes

/// Where a relay delivery is in its life.
public enum RelayDeliveryState: String, Sendable, Codable, CaseIterable {
    /// Waiting for its next attempt (or one is under way).
    case pending
    /// An attempt got a `2xx`.
    case delivered
    /// The last scheduled attempt failed, or the endpoint answered `410 Gone`: kept, replayable.
    case failed
}

/// A delivery as the admin API and the CLI show it.
public struct StoredRelayDelivery: Sendable {
    public var id: Int64
    public var eventID: Int64
    public var endpointID: String
    public var type: String
    public var state: RelayDeliveryState
    /// Attempts since it was (re)queued; they decide the next wait on the schedule.
    public var attempts: Int
    /// Attempts in all, retries and replays included.
    public var totalAttempts: Int
    public var createdAt: Date
    /// When the next attempt is due (pending only).
    public var nextAttemptAt: Date?
    public var lastAttemptAt: Date?
    public var lastStatus: Int?
    public var lastError: String?
    public var deliveredAt: Date?

    /// The `webhook-id` of every attempt: the same for this event and endpoint, whatever happens.
    public var messageID: String { RelayMessage.id(eventID: eventID, endpointID: endpointID) }
}

/// One attempt, kept for the delivery's history.
public struct RelayAttemptRecord: Sendable {
    public var attemptedAt: Date
    /// The endpoint's status, or `nil` when it did not answer.
    public var status: Int?
    public var error: String?
    public var durationMilliseconds: Int
}

/// Filters for the delivery listing (newest first).
public struct RelayDeliveryQuery: Sendable {
    public var state: RelayDeliveryState?
    public var endpointID: String?
    public var eventID: Int64?
    public var page: PageQuery

    public init(state: RelayDeliveryState? = nil, endpointID: String? = nil, eventID: Int64? = nil, page: PageQuery = PageQuery()) {
        self.state = state
        self.endpointID = endpointID
        self.eventID = eventID
        self.page = page
    }
}

/// An endpoint with what its deliveries say about its health.
public struct RelayEndpointStatus: Sendable {
    public var endpoint: RelayEndpoint
    public var pending: Int
    public var delivered: Int
    public var failed: Int
    /// When the oldest pending delivery was queued.
    public var oldestPendingSince: Date?
    public var lastDeliveredAt: Date?
    /// The latest failed attempt's error, when it came after the last success.
    public var lastError: String?
}

/// A delivery claimed for one attempt: what to send and the lease that proves it is ours.
struct RelayTask: Sendable {
    let deliveryID: Int64
    let eventID: Int64
    let endpointID: String
    let type: String
    /// Attempts made before this one.
    let attempts: Int
    let lease: String
    let body: [UInt8]
    /// The W3C `traceparent` of the span that stored the event, when it was traced.
    var traceParent: String? = nil

    var messageID: String { RelayMessage.id(eventID: eventID, endpointID: endpointID) }
}

/// How an attempt ended, as stored.
enum RelayAttemptOutcome: Sendable, Equatable {
    case delivered(status: Int)
    /// Try again at `at`.
    case retry(at: Date, status: Int?, error: String)
    /// No attempts left.
    case failed(status: Int?, error: String)
    /// `410 Gone`: the delivery fails and the endpoint is disabled.
    case gone

    var state: RelayDeliveryState {
        switch self {
        case .delivered: .delivered
        case .retry: .pending
        case .failed, .gone: .failed
        }
    }

    var status: Int? {
        switch self {
        case .delivered(let status): status
        case .retry(_, let status, _), .failed(let status, _): status
        case .gone: 410
        }
    }

    var error: String? {
        switch self {
        case .delivered: nil
        case .retry(_, _, let error), .failed(_, let error): error
        case .gone: "the endpoint answered 410 Gone, so it was disabled"
        }
    }
}

/// Relay requests the store cannot carry out, with a message a person can act on.
public enum RelayError: Error, Sendable, Equatable {
    case endpointNotFound(String)
    case deliveryNotFound(Int64)
    /// Endpoints of `THINGBRIDGE_RELAY_ENDPOINTS` are changed in the configuration.
    case configuredEndpoint(String)
    case invalidURL
    case invalidTypes(String)
}

extension RelayError: AppErrorConvertible {
    public var appError: AppError {
        switch self {
        case .endpointNotFound(let id): AppError(.notFound, "not_found", "There is no relay endpoint \(id).")
        case .deliveryNotFound(let id): AppError(.notFound, "not_found", "There is no relay delivery \(id).")
        case .configuredEndpoint(let id):
            AppError(
                .conflict, "configured_endpoint",
                "Relay endpoint \(id) comes from THINGBRIDGE_RELAY_ENDPOINTS; change it there (its secret is THINGBRIDGE_RELAY_SECRET).")
        case .invalidURL: AppError(.badRequest, "invalid_url", "url must be an absolute http:// or https:// URL.")
        case .invalidTypes(let problem): AppError(.badRequest, "invalid_types", "types: \(problem).")
        }
    }
}
