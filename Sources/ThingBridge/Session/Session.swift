/// A signed-in person, as carried (encrypted) in the session cookie.
///
/// Short field names keep the cookie small; the Thingiverse token lives only here and in
/// memory, never in a log, a URL or a response body.
public struct Session: Codable, Sendable, Equatable {
    /// Random id, recorded on logout so a replayed cookie is refused by every instance.
    public var id: String
    public var userID: String
    public var name: String
    public var fullName: String?
    public var thumbnail: String?
    /// The user's Thingiverse access token.
    public var token: Secret
    /// Unix seconds: when it was issued, when it last saw use, when it ends whatever happens.
    public var issuedAt: Int64
    public var lastSeenAt: Int64
    public var expiresAt: Int64

    enum CodingKeys: String, CodingKey {
        case id = "sid"
        case userID = "uid"
        case name = "n"
        case fullName = "fn"
        case thumbnail = "th"
        case token = "t"
        case issuedAt = "iat"
        case lastSeenAt = "seen"
        case expiresAt = "exp"
    }
}

extension Secret: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

/// How long sessions and login attempts last.
public struct SessionLifetime: Sendable {
    /// A session unused this long is over.
    public var idle: Int64 = 7 * 24 * 3600
    /// A session is over this long after sign-in, used or not.
    public var absolute: Int64 = 30 * 24 * 3600
    /// The cookie is re-issued (sliding the idle window) when its last use is older than this.
    public var refreshAfter: Int64 = 3600
    /// A started sign-in must come back within this.
    public var login: Int64 = 600

    public init() {}
}
