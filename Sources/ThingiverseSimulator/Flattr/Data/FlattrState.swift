/// Everything the Flattr simulator remembers, kept behind one `Mutex` in `FlattrSimulator`.
/// Each request does its work inside a single lock, so it sees and leaves a consistent state.
struct FlattrState: Sendable {
    var users: [FlattrUser]
    var things: [FlattrThing]
    var tokens: [String: FlattrToken] = [:]
    var codes: [String: FlattrAuthorizationCode] = [:]
    var rateWindows: [String: FlattrRateWindow] = [:]
    var faults = FlattrSimulatorFaults()
    /// The most recent requests (between `logLimit` and twice that many are kept).
    var requests: [LoggedRequest] = []
    /// Requests per normalized path, both full and below the prefix; never trimmed.
    var requestCounts: [String: Int] = [:]
    /// What each call to the token endpoint sent (trimmed like `requests`).
    var tokenRequests: [FlattrTokenRequestRecord] = []
    /// The id the next created thing gets.
    var nextThingID: Int

    /// How many log entries are kept at least, so a long-running simulator stays small.
    static let logLimit = 10_000

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

    // MARK: Logs

    mutating func record(method: String, path: String, relativePath: String) {
        requests.append(LoggedRequest(method: method, path: path, relativePath: relativePath))
        if requests.count >= 2 * Self.logLimit {
            requests.removeFirst(Self.logLimit)
        }
        let full = ThingiverseSimulator.normalizedPath(path)
        let relative = ThingiverseSimulator.normalizedPath(relativePath)
        requestCounts[full, default: 0] += 1
        if relative != full {
            requestCounts[relative, default: 0] += 1
        }
    }

    mutating func record(tokenRequest: FlattrTokenRequestRecord) {
        tokenRequests.append(tokenRequest)
        if tokenRequests.count >= 2 * Self.logLimit {
            tokenRequests.removeFirst(Self.logLimit)
        }
    }
}
