import Foundation

/// How the relay is shown by the admin API and the CLI (snake_case JSON, through
/// ``AdminViews/encoder(pretty:)``). No view holds a secret except ``NewSecret``, which is
/// answered once, when the secret is made.
public enum RelayViews {
    public struct Endpoint: Encodable, Sendable {
        public let id: String
        public let url: String
        public let types: [String]
        /// `configuration` (THINGBRIDGE_RELAY_ENDPOINTS) or `database` (admin API, CLI).
        public let origin: String
        public let enabled: Bool
        public let disabledAt: String?
        public let disabledReason: String?
        public let createdAt: String
        /// While a rotated secret still signs beside the new one.
        public let previousSecretValidUntil: String?
        public let health: Health?

        public struct Health: Encodable, Sendable {
            public let pending: Int
            public let delivered: Int
            public let failed: Int
            public let oldestPendingSince: String?
            public let lastDeliveredAt: String?
            public let lastError: String?
        }

        public init(_ endpoint: RelayEndpoint, health: Health? = nil) {
            id = endpoint.id
            url = endpoint.url
            types = endpoint.types.patterns
            origin = endpoint.configured ? "configuration" : "database"
            enabled = endpoint.disabledAt == nil
            disabledAt = endpoint.disabledAt.map(AdminViews.time)
            disabledReason = endpoint.disabledReason
            createdAt = AdminViews.time(endpoint.createdAt)
            previousSecretValidUntil = endpoint.previousSecretUntil.flatMap { $0 > Date() ? AdminViews.time($0) : nil }
            self.health = health
        }

        public init(_ status: RelayEndpointStatus) {
            self.init(
                status.endpoint,
                health: Health(
                    pending: status.pending, delivered: status.delivered, failed: status.failed,
                    oldestPendingSince: status.oldestPendingSince.map(AdminViews.time), lastDeliveredAt: status.lastDeliveredAt.map(AdminViews.time),
                    lastError: status.lastError))
        }
    }

    /// A new endpoint or a rotated secret: the only time the secret is shown.
    public struct NewSecret: Encodable, Sendable {
        public let endpoint: Endpoint
        public let secret: String
        public let note: String

        public init(endpoint: Endpoint, secret: Secret, note: String) {
            self.endpoint = endpoint
            self.secret = secret.value
            self.note = note
        }
    }

    public struct Delivery: Encodable, Sendable {
        public let id: Int64
        /// The `webhook-id` header of every attempt.
        public let webhookID: String
        public let eventID: Int64
        public let endpointID: String
        public let type: String
        public let state: RelayDeliveryState
        public let attempts: Int
        public let totalAttempts: Int
        public let createdAt: String
        public let nextAttemptAt: String?
        public let lastAttemptAt: String?
        public let lastStatus: Int?
        public let lastError: String?
        public let deliveredAt: String?
        /// The attempts, oldest first (single-delivery view only).
        public let history: [Attempt]?

        public struct Attempt: Encodable, Sendable {
            public let at: String
            public let status: Int?
            public let error: String?
            public let durationMs: Int
        }

        public init(_ delivery: StoredRelayDelivery, attempts: [RelayAttemptRecord]? = nil) {
            id = delivery.id
            webhookID = delivery.messageID
            eventID = delivery.eventID
            endpointID = delivery.endpointID
            type = delivery.type
            state = delivery.state
            self.attempts = delivery.attempts
            totalAttempts = delivery.totalAttempts
            createdAt = AdminViews.time(delivery.createdAt)
            nextAttemptAt = delivery.nextAttemptAt.map(AdminViews.time)
            lastAttemptAt = delivery.lastAttemptAt.map(AdminViews.time)
            lastStatus = delivery.lastStatus
            lastError = delivery.lastError
            deliveredAt = delivery.deliveredAt.map(AdminViews.time)
            history = attempts?.map {
                Attempt(at: AdminViews.time($0.attemptedAt), status: $0.status, error: $0.error, durationMs: $0.durationMilliseconds)
            }
        }
    }
}
