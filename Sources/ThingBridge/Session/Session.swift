/// A signed-in person, as carried (encrypted) in the session cookie: one account per provider
/// they signed in with, the first one first.
///
/// Short field names keep the cookie small; the providers' tokens live only here and in
/// memory, never in a log, a URL or a response body.
public struct Session: Codable, Sendable, Equatable {
    /// Random id, recorded on logout (and when an account is unlinked) so a replayed cookie is
    /// refused by every instance.
    public var id: String
    /// The linked accounts in the order they were linked; never empty.
    public var accounts: [LinkedAccount]
    /// Unix seconds: when it was issued, when it last saw use, when it ends whatever happens.
    public var issuedAt: Int64
    public var lastSeenAt: Int64
    public var expiresAt: Int64

    enum CodingKeys: String, CodingKey {
        case id = "sid"
        case accounts = "a"
        case issuedAt = "iat"
        case lastSeenAt = "seen"
        case expiresAt = "exp"
        // The first release kept one Thingiverse account at the top level.
        case userID = "uid", name = "n", fullName = "fn", thumbnail = "th", token = "t"
    }

    public init(id: String, accounts: [LinkedAccount], issuedAt: Int64, lastSeenAt: Int64, expiresAt: Int64) {
        (self.id, self.accounts, self.issuedAt, self.lastSeenAt, self.expiresAt) = (id, accounts, issuedAt, lastSeenAt, expiresAt)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        issuedAt = try container.decode(Int64.self, forKey: .issuedAt)
        lastSeenAt = try container.decode(Int64.self, forKey: .lastSeenAt)
        expiresAt = try container.decode(Int64.self, forKey: .expiresAt)
        if let accounts = try container.decodeIfPresent([LinkedAccount].self, forKey: .accounts) {
            self.accounts = accounts
        } else {
            // A cookie issued before providers existed: its one account is Thingiverse's.
            accounts = [
                LinkedAccount(
                    provider: .thingiverse, id: try container.decode(String.self, forKey: .userID),
                    name: try container.decode(String.self, forKey: .name),
                    fullName: try container.decodeIfPresent(String.self, forKey: .fullName),
                    thumbnail: try container.decodeIfPresent(String.self, forKey: .thumbnail),
                    token: try container.decode(Secret.self, forKey: .token))
            ]
        }
        guard !accounts.isEmpty else {
            throw DecodingError.dataCorruptedError(forKey: .accounts, in: container, debugDescription: "a session has an account")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(accounts, forKey: .accounts)
        try container.encode(issuedAt, forKey: .issuedAt)
        try container.encode(lastSeenAt, forKey: .lastSeenAt)
        try container.encode(expiresAt, forKey: .expiresAt)
    }

    /// The account that signed in first: what `/auth/me` describes at its top level.
    public var primary: LinkedAccount { accounts[0] }

    /// `PROVIDER:USER_ID` of the first account: one stable name for the person whichever
    /// providers they link later (UserEcho's guid, the delegated proxy's budget key).
    public var personKey: String { "\(primary.provider.rawValue):\(primary.id)" }

    /// The account linked for `provider`, if any.
    public func account(_ provider: ProviderID) -> LinkedAccount? {
        accounts.first { $0.provider == provider }
    }

    /// This session with `account` linked, replacing an earlier account of the same provider in its place.
    func linking(_ account: LinkedAccount) -> Session {
        var session = self
        if let index = session.accounts.firstIndex(where: { $0.provider == account.provider }) {
            session.accounts[index] = account
        } else {
            session.accounts.append(account)
        }
        return session
    }
}

/// One provider account of a signed-in person, with the token ThingBridge uses on their behalf.
public struct LinkedAccount: Codable, Sendable, Equatable {
    public var provider: ProviderID
    /// The provider's id for the person (Thingiverse: the numeric user id; Flattr: the username).
    public var id: String
    public var name: String
    public var fullName: String?
    public var thumbnail: String?
    public var token: Secret
    /// The token's refresh token, when the provider issued one with an expiring token.
    public var refreshToken: Secret?
    /// Unix seconds when the token expires (`expires_in` after it was issued); nil: it does not say.
    public var tokenExpiresAt: Int64?
    /// The token's lifetime in seconds as issued, which decides how early it is refreshed.
    public var tokenLifetime: Int64?

    enum CodingKeys: String, CodingKey {
        case provider = "p", id, name = "n", fullName = "fn", thumbnail = "th", token = "t"
        case refreshToken = "rt", tokenExpiresAt = "te", tokenLifetime = "tl"
    }

    /// Bounds every field (in UTF-8 bytes), so a session with both token-holding providers
    /// linked stays under 4 KiB: a test seals the worst case.
    public init(provider: ProviderID, id: String, name: String, fullName: String?, thumbnail: String?, token: Secret) {
        self.provider = provider
        self.id = Self.prefix(id, bytes: 64)
        self.name = Self.prefix(name, bytes: 100)
        self.fullName = fullName.map { Self.prefix($0, bytes: 100) }
        self.thumbnail = thumbnail.flatMap { $0.utf8.count <= 400 ? $0 : nil }
        self.token = token
    }

    /// This account holding `grant`'s token, with its refresh token and expiry when it has them.
    func holding(_ grant: TokenGrant, now: Int64) -> LinkedAccount {
        var account = self
        account.token = grant.accessToken
        // A provider that rotates nothing may leave the refresh token out of a refresh's reply.
        account.refreshToken = grant.refreshToken ?? (grant.isRefresh ? refreshToken : nil)
        account.tokenLifetime = grant.expiresIn
        account.tokenExpiresAt = grant.expiresIn.map { now + $0 }
        return account
    }

    /// Whether the token should be refreshed before use at `now`: less than a tenth of its
    /// lifetime or 60 s, whichever is smaller, remains.
    func needsRefresh(at now: Int64) -> Bool {
        guard let tokenExpiresAt else { return false }
        let margin = min((tokenLifetime ?? 600) / 10, 60)
        return now >= tokenExpiresAt - margin
    }

    /// Whether the token has expired at `now` (a token without an expiry never does here).
    func tokenExpired(at now: Int64) -> Bool {
        tokenExpiresAt.map { now >= $0 } ?? false
    }

    /// The longest prefix of whole characters within `bytes` UTF-8 bytes.
    private static func prefix(_ text: String, bytes: Int) -> String {
        var result = ""
        var used = 0
        for character in text {
            used += character.utf8.count
            guard used <= bytes else { break }
            result.append(character)
        }
        return result
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
