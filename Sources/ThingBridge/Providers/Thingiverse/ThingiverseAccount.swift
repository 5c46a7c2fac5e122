/// Thingiverse's token checks beyond the code flow (`POST /login/oauth/tokeninfo` and
/// `GET /users/me`), which the token flow and browsers' own Bearer tokens need.
/// The real implementation is ``ThingiverseSignIn``.
public protocol ThingiverseAccount: Sendable {
    /// Describes a token (`POST /login/oauth/tokeninfo`).
    func tokenInfo(_ token: Secret) async throws -> TokenInfo
    /// The profile of the token's owner (`GET /users/me`).
    func me(_ token: Secret) async throws -> UserProfile
}

/// What tokeninfo says about a token.
public struct TokenInfo: Sendable, Equatable {
    /// The client id of the app the token was issued to.
    public var audience: String
    public var userID: String
}

/// The public part of a Thingiverse user's profile.
public struct UserProfile: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var fullName: String?
    public var thumbnail: String?

    enum CodingKeys: String, CodingKey {
        case id, name, thumbnail
        case fullName = "full_name"
    }

    public init(id: String, name: String, fullName: String?, thumbnail: String?) {
        (self.id, self.name, self.fullName, self.thumbnail) = (id, name, fullName, thumbnail)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.id = try container.decode(LooseString.self, forKey: .id).value
        self.name = try container.decode(String.self, forKey: .name)
        self.fullName = try container.decodeIfPresent(String.self, forKey: .fullName)
        self.thumbnail = try container.decodeIfPresent(String.self, forKey: .thumbnail)
    }
}

/// Thingiverse sends ids and amounts as strings in some places and numbers in others.
/// This accepts a JSON string or number and keeps the text.
struct LooseString: Decodable, Sendable {
    let value: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let string = try? container.decode(String.self) {
            value = string
        } else if let integer = try? container.decode(Int64.self) {
            value = String(integer)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a string or an integer")
        }
    }
}
