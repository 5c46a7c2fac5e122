/// Everything the Flattr simulator remembers, kept behind one `Mutex` in `FlattrSimulator`.
/// Each request does its work inside a single lock, so it sees and leaves a consistent state.
struct FlattrState: Sendable {
    var users: [FlattrUser]
    var things: [FlattrThing]
    var tokens: [String: FlattrToken] = [:]
    var codes = AuthorizationCodes<FlattrGrant>()
    var rateBudgets = RateBudgets()
    /// What each call to the token endpoint sent (trimmed like the request log).
    var tokenRequests: [FlattrTokenRequestRecord] = []
    /// The id the next created thing gets.
    var nextThingID: Int

    /// The budget key of requests without a (known) token: the simulator cannot tell callers
    /// apart, so they share one budget, as callers behind one address did at Flattr.
    static let anonymousBudget = "anonymous"

    init() {
        self.users = FlattrSeedData.users
        self.things = FlattrSeedData.things
        self.nextThingID = (FlattrSeedData.things.map(\.id).max() ?? 400_000) + 1
    }

    // MARK: Lookups

    /// Usernames are matched without regard to case, as Flattr's profile URLs were.
    func user(named name: String) -> FlattrUser? { users.first { $0.username.lowercased() == name.lowercased() } }
    func thingIndex(id: Int) -> Int? { things.firstIndex { $0.id == id } }

    // MARK: Tokens

    /// Creates and remembers a new access token (48 lowercase hex characters).
    mutating func issueToken(username: String, clientID: String, scopes: FlattrScopes) -> String {
        let value = RandomToken.hex(byteCount: 24)
        tokens[value] = FlattrToken(value: value, username: username, clientID: clientID, scopes: scopes)
        return value
    }
}
