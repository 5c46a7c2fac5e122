import Crypto

/// What an authenticated webhook body turned out to be, once parsed at the edge.
public enum WebhookDelivery: Sendable, Equatable {
    /// Thingiverse's "Test" button.
    case ping
    /// One of the documented order events, with a valid order.
    case order(kind: OrderEventKind, order: OrderDetails)
    /// An event name ThingBridge does not know yet; kept as received. The order id is taken
    /// when it reads as one, so the event shows in the order's history.
    case unknown(name: String, orderID: Int64?, modifiedDate: String?)

    /// Why a body was quarantined instead of stored as an event.
    public typealias Rejection = DeliveryRejection

    /// Parses a raw body strictly.
    public static func parse(_ body: some Collection<UInt8>) throws(Rejection) -> WebhookDelivery {
        let json: JSONValue
        do {
            json = try JSONParser.parse(body)
        } catch {
            throw Rejection(reason: error.description)
        }
        guard case .object = json else {
            throw Rejection(reason: "the body must be a JSON object with an \"event\" name, not \(json.kindName)")
        }
        guard let eventValue = json["event"] else {
            throw Rejection(reason: "the body has no \"event\" name")
        }
        guard case .string(let name) = eventValue, !name.isEmpty, name.utf8.count <= 100 else {
            throw Rejection(reason: "\"event\" must be a non-empty name of at most 100 characters")
        }
        if name == "ping" { return .ping }
        guard let kind = OrderEventKind(rawValue: name) else {
            var orderID: Int64?
            var modified: String?
            if let order = json["order"] {
                orderID = order["id"].flatMap { try? OrderDetails.identifier($0, "order.id") }
                if case .string(let text)? = order["modified_date"], text.utf8.count <= 64 { modified = text }
            }
            return .unknown(name: name, orderID: orderID, modifiedDate: modified)
        }
        guard let orderValue = json["order"], orderValue != .null else {
            throw Rejection(reason: "the \(name) event has no \"order\"")
        }
        do {
            return .order(kind: kind, order: try OrderDetails(json: orderValue))
        } catch {
            throw Rejection(reason: error.reason)
        }
    }

    /// The event name as stored.
    public var eventName: String {
        switch self {
        case .ping: "ping"
        case .order(let kind, _): kind.rawValue
        case .unknown(let name, _, _): name
        }
    }

    /// What makes two deliveries the same: event + order id + `modified_date`, or, when the body
    /// lacks those, the SHA-256 of the body itself.
    public func dedupeKey(body: [UInt8]) -> String {
        switch self {
        case .order(let kind, let order):
            if let modified = order.modifiedDate {
                return "\(kind.rawValue):\(order.id):\(modified.sortable)"
            }
        case .unknown(let name, let orderID?, let modified?):
            return "\(name):\(orderID):\(modified)"
        case .ping, .unknown:
            break
        }
        return "sha256:" + Hex.encode(SHA256.hash(data: body))
    }
}

extension WebhookDelivery: LoggedEvent {
    public var source: EventSource { .thingiverse }

    /// The order the event belongs to, if any (shown in its history).
    public var subjectID: Int64? {
        switch self {
        case .order(_, let details): details.id
        case .unknown(_, let id, _): id
        case .ping: nil
        }
    }

    /// The order's parsed fields, for the documented order events.
    public var fieldsJSON: String? {
        if case .order(_, let details) = self { return details.serializedJSON }
        return nil
    }
}
