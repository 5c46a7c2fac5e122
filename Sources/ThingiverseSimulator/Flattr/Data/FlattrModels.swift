/// A Flattr account.
struct FlattrUser: Sendable {
    var username: String
    var firstname: String
    var lastname: String
    var email: String

    var fullName: String { [firstname, lastname].filter { !$0.isEmpty }.joined(separator: " ") }
}

/// The categories Flattr sorted things into.
enum FlattrCategory: String, Sendable, CaseIterable {
    case text, images, video, audio, software, people, rest
}

/// A thing: a URL registered on Flattr that people can flattr.
struct FlattrThing: Sendable {
    var id: Int
    var url: String
    var ownerName: String
    var title: String
    var description: String
    var category: FlattrCategory
    var language = "en_GB"
    var tags: [String]
    var hidden = false
    /// Whether the thing has a picture (Flattr answers `"image": ""` for one without).
    var hasImage = true
    var createdAt: Int
    /// 0 until the thing is first updated, as in the reference.
    var updatedAt = 0
    var lastFlattrAt: Int
    /// Flattrs from people outside the seeded users, so counts look realistic.
    var anonymousFlattrs: Int
    /// Seeded users who flattred the thing (for `flattred`).
    var flattredBy: Set<String> = []

    var flattrs: Int { anonymousFlattrs + flattredBy.count }
}

/// An access token issued by the simulator. Flattr's tokens do not expire.
struct FlattrToken: Sendable {
    var value: String
    var username: String
    var clientID: String
    var scopes: FlattrScopes
}

/// What an authorization code stands for at Flattr: who pressed Allow, for which scopes.
struct FlattrGrant: Sendable {
    /// Whether the authorize request named `redirect_uri`; the token request must then repeat it.
    var redirectURIWasGiven: Bool
    var username: String
    var scopes: FlattrScopes
}

/// The scopes a token carries, in Flattr's space-separated notation.
struct FlattrScopes: Sendable, Equatable {
    /// The scopes Flattr knew, with what the authorization page says they allow.
    static let known: [(name: String, meaning: String)] = [
        ("flattr", "flattr things for you"),
        ("thing", "create, change and remove your things"),
        ("email", "see your email address"),
        ("extendedread", "see your flattrs and other activity"),
    ]

    /// What a token gets when the app asks for no scope, and what `issueToken` grants.
    static let standard = FlattrScopes(names: ["flattr", "thing"])

    /// The granted scope names, in the order of `known`.
    let names: [String]

    private init(names: [String]) {
        self.names = names
    }

    /// Parses `flattr thing` (space-separated); an unknown scope is refused by the authorization page.
    static func parse(_ text: String?) throws(AuthorizationRefusal) -> FlattrScopes {
        guard let text, text.contains(where: { $0 != " " }) else { return .standard }
        let requested = text.split(separator: " ").map(String.init)
        if let unknown = requested.first(where: { name in !known.contains { $0.name == name } }) {
            throw AuthorizationRefusal(
                message: "The scope \"\(unknown)\" is unknown; use flattr, thing, email or extendedread, separated by spaces.")
        }
        return FlattrScopes(names: known.map(\.name).filter { requested.contains($0) })
    }

    func contains(_ name: String) -> Bool { names.contains(name) }

    /// `flattr thing`
    var text: String { names.joined(separator: " ") }
}
