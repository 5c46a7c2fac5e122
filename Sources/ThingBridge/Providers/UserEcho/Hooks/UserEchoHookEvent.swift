import Crypto

/// A UserEcho hook delivery, parsed at the edge: `{"hook": "topic.created", "created": "...",
/// "data": {...the topic or comment...}}`. UserEcho sends no delivery id, so two deliveries are
/// the same when their hook, the data's id and `created` are.
public struct UserEchoHookEvent: LoggedEvent, Equatable {
    public let hook: String
    public let created: String
    /// The topic's or comment's id, when the data has one.
    public let dataID: String?

    public var source: EventSource { .userecho }
    public var eventName: String { hook }
    public var subjectID: Int64? { nil }
    public var fieldsJSON: String? { nil }

    public func dedupeKey(body: [UInt8]) -> String {
        "userecho:\(hook):\(dataID ?? "-"):\(created)"
    }

    /// Parses a raw body strictly; the reason says what is wrong.
    public static func parse(_ body: [UInt8]) throws(DeliveryRejection) -> UserEchoHookEvent {
        let json: JSONValue
        do {
            json = try JSONParser.parse(body)
        } catch {
            throw DeliveryRejection(reason: error.description)
        }
        guard case .object = json else {
            throw DeliveryRejection(reason: "the body must be a JSON object with a \"hook\" name, not \(json.kindName)")
        }
        guard case .string(let hook)? = json["hook"], (1...100).contains(hook.utf8.count) else {
            throw DeliveryRejection(reason: "the body has no \"hook\" name of at most 100 characters")
        }
        guard case .string(let created)? = json["created"], (1...64).contains(created.utf8.count) else {
            throw DeliveryRejection(reason: "the \(hook) hook has no \"created\" time")
        }
        guard let data = json["data"], case .object = data else {
            throw DeliveryRejection(reason: "the \(hook) hook has no \"data\" object")
        }
        let dataID: String?
        switch data["id"] {
        // Bounded like the other parts of the dedupe key, numbers too: the key is a unique index,
        // and PostgreSQL refuses an index row over about 2.7 KB (a 3,000-digit id did).
        case .number(let text)? where text.utf8.count <= 64: dataID = text
        case .string(let text)? where text.utf8.count <= 64: dataID = text
        default: dataID = nil
        }
        return UserEchoHookEvent(hook: hook, created: created, dataID: dataID)
    }
}

/// `X-UE-Signature`: the hex HMAC-SHA1 of the raw body under `USERECHO_WEBHOOK_KEY`.
struct UserEchoSignature: Sendable {
    let key: SymmetricKey

    init(key: Secret) {
        self.key = SymmetricKey(data: Array(key.value.utf8))
    }

    /// Whether `header` is the body's signature, compared in constant time.
    func isValid(_ header: String?, body: [UInt8]) -> Bool {
        guard let header, header.utf8.count == Insecure.SHA1.byteCount * 2, let given = Self.bytes(hex: header) else { return false }
        return HMAC<Insecure.SHA1>.isValidAuthenticationCode(given, authenticating: body, using: key)
    }

    private static func bytes(hex: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.utf8.count / 2)
        var high: UInt8?
        for character in hex.utf8 {
            let value: UInt8
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = character - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = character - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = character - UInt8(ascii: "A") + 10
            default: return nil
            }
            if let first = high {
                bytes.append(first << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        return bytes
    }
}

extension EventSource {
    /// UserEcho's hooks.
    public static let userecho = EventSource(rawValue: "userecho")
}
