/// The name of a provider ThingBridge speaks to: one of the built-in family (Thingiverse, Flattr,
/// UserEcho) or a configured OAuth2 provider (`THINGBRIDGE_PROVIDERS`). The raw value is the one
/// in URLs (`/auth/flattr/login`, `/api/flattr/...`), settings and relayed event types.
///
/// Two ids are equal when their raw values are; the display name travels with an id made from
/// configuration, and a decoded id (from a cookie) falls back to its raw value.
public struct ProviderID: RawRepresentable, Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public let rawValue: String
    /// The name people read in messages and on pages.
    public let displayName: String

    public static let thingiverse = ProviderID(known: "thingiverse", displayName: "Thingiverse")

    /// Words the sign-in routes use below `/auth/`: no provider may be called one of them.
    public static let reservedNames: Set<String> = ["login", "callback", "logout", "me", "session", "token"]

    /// A built-in provider's id (each declared in its folder).
    init(known rawValue: String, displayName: String) {
        self.rawValue = rawValue
        self.displayName = displayName
    }

    /// A provider by name: a built-in one, or any name a configured provider may have (2-20
    /// lowercase letters and digits, starting with a letter, not a reserved route word).
    public init?(rawValue: String) {
        if let known = Self.builtIn.first(where: { $0.rawValue == rawValue }) {
            self = known
            return
        }
        guard Self.isConfigurableName(rawValue) else { return nil }
        self.rawValue = rawValue
        self.displayName = rawValue
    }

    /// A configured provider's id with the name its pages show.
    public init?(configured name: String, displayName: String?) {
        guard Self.isConfigurableName(name), !Self.builtIn.contains(where: { $0.rawValue == name }) else { return nil }
        self.rawValue = name
        self.displayName = displayName ?? name
    }

    /// 2-20 lowercase ASCII letters and digits, starting with a letter, and no route word.
    public static func isConfigurableName(_ name: String) -> Bool {
        (2...20).contains(name.utf8.count)
            && name.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) }
            && name.utf8.first.map { $0 >= 0x61 } == true
            && !reservedNames.contains(name)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = ProviderID(rawValue: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a provider name"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public static func == (lhs: ProviderID, rhs: ProviderID) -> Bool { lhs.rawValue == rhs.rawValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }

    /// Built-in providers first, in their order, then configured ones by name.
    public static func < (lhs: ProviderID, rhs: ProviderID) -> Bool {
        let left = builtIn.firstIndex(of: lhs) ?? builtIn.count
        let right = builtIn.firstIndex(of: rhs) ?? builtIn.count
        return left != right ? left < right : lhs.rawValue < rhs.rawValue
    }

    public var description: String { rawValue }

    /// Where signing in with this provider starts (Thingiverse keeps the first release's URL).
    public var loginPath: String { self == .thingiverse ? "/auth/login" : "/auth/\(rawValue)/login" }
}
