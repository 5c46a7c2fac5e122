import Foundation

/// How stored webhook data is shown by the admin API and the CLI (snake_case JSON).
public enum AdminViews {
    /// The encoder every admin view goes through: snake_case keys, sorted, dates as ISO 8601 text.
    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(time(date))
        }
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// `2024-05-01T12:00:00.123Z`.
    public static func time(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// A raw body as text when it is UTF-8, otherwise base64, with which one it is.
    static func body(_ bytes: [UInt8]) -> (text: String, encoding: String) {
        if let text = String(validating: bytes, as: UTF8.self) {
            return (text, "utf8")
        }
        return (Data(bytes).base64EncodedString(), "base64")
    }

    /// One event in a listing or an order's history.
    public struct EventSummary: Encodable, Sendable {
        public let id: Int64
        public let source: EventSource
        public let receivedAt: String
        public let event: String
        public let orderID: Int64?
        /// The projections' columns shown in listings (``ShownColumn/inListings``).
        public let shown: [ShownValue]

        public init(_ event: StoredEvent) {
            self.id = event.id
            self.source = event.source
            self.receivedAt = AdminViews.time(event.receivedAt)
            self.event = event.event
            self.orderID = event.subjectID
            self.shown = event.shown.filter(\.column.inListings)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: ViewKey.self)
            try container.encodeEvent(id: id, receivedAt: receivedAt, event: event, shown: shown)
            try container.encode(source, forKey: "source")
            try container.encodeIfPresent(orderID, forKey: "order_id")
        }
    }

    /// One event with everything stored about it, raw body included (written out so absent
    /// values show as null rather than disappear).
    public struct EventDetail: Encodable, Sendable {
        public let event: StoredEvent

        public init(_ event: StoredEvent) {
            self.event = event
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: ViewKey.self)
            try container.encodeEvent(id: event.id, receivedAt: AdminViews.time(event.receivedAt), event: event.event, shown: event.shown)
            try container.encode(event.subjectID, forKey: "order_id")
            try container.encode(event.dedupeKey, forKey: "dedupe_key")
            try container.encode(event.fields, forKey: "fields")
            let (rawBody, rawBodyEncoding) = AdminViews.body(event.rawBody)
            try container.encode(rawBody, forKey: "raw_body")
            try container.encode(rawBodyEncoding, forKey: "raw_body_encoding")
        }
    }

    /// A key of a view written out by hand, already in snake_case.
    struct ViewKey: CodingKey, ExpressibleByStringLiteral {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
        init(stringLiteral value: String) { self.stringValue = value }
    }

    /// An order with its history, oldest event first.
    public struct OrderDetail: Encodable, Sendable {
        public let order: StoredOrder
        public let history: [EventSummary]

        public init(_ order: StoredOrder, history: [StoredEvent]) {
            self.order = order
            self.history = history.map(EventSummary.init)
        }
    }

    /// A quarantined body and why it was refused.
    public struct Quarantined: Encodable, Sendable {
        public let id: Int64
        public let source: EventSource
        public let receivedAt: String
        public let reason: String
        public let rawBody: String
        public let rawBodyEncoding: String

        public init(_ delivery: QuarantinedDelivery) {
            self.id = delivery.id
            self.source = delivery.source
            self.receivedAt = AdminViews.time(delivery.receivedAt)
            self.reason = delivery.reason
            (self.rawBody, self.rawBodyEncoding) = AdminViews.body(delivery.rawBody)
        }
    }

    /// `GET /admin/api/stats`: amounts as exact decimal text.
    public struct Statistics: Encodable, Sendable {
        public struct Day: Encodable, Sendable {
            public let day: String
            public let orders: Int
            public let revenue: String
            public let refunds: Int
            public let refundedAmount: String
        }

        public let basis: FigureBasis
        /// An open end shows as null rather than disappears.
        @NullWhenAbsent public var since: String?
        @NullWhenAbsent public var until: String?
        public let orders: Int
        public let revenue: String
        public let refundedAmount: String
        public let refundsRequested: Int
        public let refundsGranted: Int
        public let states: [String: Int]
        public let days: [Day]

        public init(_ statistics: OrderStatistics) {
            self.basis = statistics.basis
            self.since = statistics.since
            self.until = statistics.until
            self.orders = statistics.orders
            self.revenue = statistics.revenue.text
            self.refundedAmount = statistics.refundedAmount.text
            self.refundsRequested = statistics.refundsRequested
            self.refundsGranted = statistics.refundsGranted
            self.states = Dictionary(uniqueKeysWithValues: OrderState.allCases.map { ($0.rawValue, statistics.states[$0] ?? 0) })
            self.days = statistics.days.map {
                Day(day: $0.day, orders: $0.orders, revenue: $0.revenue.text, refunds: $0.refunds, refundedAmount: $0.refundedAmount.text)
            }
        }
    }

    /// One page of a listing under `key` (`events`, `orders`, `quarantine`) with `next_cursor`.
    public struct Listing<Item: Encodable & Sendable>: Encodable, Sendable {
        public let key: String
        public let items: [Item]
        public let nextCursor: String?

        public init(key: String, items: [Item], nextCursor: String?) {
            self.key = key
            self.items = items
            self.nextCursor = nextCursor
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: DynamicKey.self)
            try container.encode(items, forKey: DynamicKey(key))
            try container.encode(nextCursor, forKey: DynamicKey("next_cursor"))
        }
    }

    struct DynamicKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { self.stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

extension KeyedEncodingContainer<AdminViews.ViewKey> {
    /// What every view of an event has: its id, time and name, and each shown value under its
    /// own key, `null` included.
    mutating func encodeEvent(id: Int64, receivedAt: String, event: String, shown: [ShownValue]) throws {
        try encode(id, forKey: "id")
        try encode(receivedAt, forKey: "received_at")
        try encode(event, forKey: "event")
        for value in shown { try encode(value.value, forKey: AdminViews.ViewKey(stringValue: value.column.key)) }
    }
}

/// An optional that a view writes as `null` when absent, where synthesized encoding would leave the key out.
@propertyWrapper
public struct NullWhenAbsent<Value: Encodable & Sendable>: Encodable, Sendable {
    public var wrappedValue: Value?

    public init(wrappedValue: Value?) {
        self.wrappedValue = wrappedValue
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue {
            try container.encode(wrappedValue)
        } else {
            try container.encodeNil()
        }
    }
}
