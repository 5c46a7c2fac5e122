/// Turns the simulator's records into the JSON objects of Flattr's REST API v2, with absolute
/// URLs on the configured API (`resource`) and web (`link`, images) base URLs. Member order
/// follows the reference.
struct FlattrPresenter: ProviderPresenter {
    /// API base URL, e.g. `http://127.0.0.1:8080/sim/flattr/api`.
    let api: String
    /// Web base URL, e.g. `http://127.0.0.1:8080/sim/flattr`.
    let web: String

    // MARK: URLs

    func userResource(_ username: String) -> String { "\(api)/users/\(FormEncoding.encodeComponent(username))" }
    func userLink(_ username: String) -> String { "\(web)/profile/\(FormEncoding.encodeComponent(username))" }
    func avatar(_ username: String) -> String { "\(userLink(username))/avatar.png" }
    func thingResource(_ id: Int) -> String { "\(api)/things/\(id)" }
    func thingLink(_ id: Int) -> String { "\(web)/thing/\(id)" }

    /// `WEB/thing/image/4/2/3/4/0/5/medium.png` (one folder per digit, as Flattr had it), or ""
    /// for a thing without a picture.
    func image(_ thing: FlattrThing) -> String {
        guard thing.hasImage else { return "" }
        let folders = String(thing.id).map(String.init).joined(separator: "/")
        return "\(web)/thing/image/\(folders)/medium.png"
    }

    // MARK: Users

    /// The short form in a thing's `owner`, which also begins the full user.
    private func ownerMembers(_ username: String) -> [(String, JSONValue)] {
        [
            ("type", .string("user")), ("resource", .string(userResource(username))), ("link", .string(userLink(username))),
            ("username", .string(username)),
        ]
    }

    /// The full user; `email` only for the token's own account (`GET /user`).
    func user(_ user: FlattrUser, includeEmail: Bool) -> JSONValue {
        let details: [(String, JSONValue)] = [
            ("firstname", .string(user.firstname)), ("lastname", .string(user.lastname)), ("avatar", .string(avatar(user.username))),
        ]
        return .object(ownerMembers(user.username) + details + (includeEmail ? [("email", .string(user.email))] : []))
    }

    // MARK: Things

    /// A thing as the reference shows it. `detailed` adds `last_flattr_at` and `updated_at`
    /// (`GET /things/:id`); `flattred` is present only when the request carried a token.
    func thing(_ thing: FlattrThing, viewer: String?, detailed: Bool = false) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("type", .string("thing")),
            ("resource", .string(thingResource(thing.id))),
            ("link", .string(thingLink(thing.id))),
            ("id", .integer(thing.id)),
            ("url", .string(thing.url)),
            ("language", .string(thing.language)),
            ("category", .string(thing.category.rawValue)),
            ("owner", .object(ownerMembers(thing.ownerName))),
            ("hidden", .bool(thing.hidden)),
            ("image", .string(image(thing))),
            ("created_at", .integer(thing.createdAt)),
            ("tags", .array(thing.tags.map { .string($0) })),
            ("flattrs", .integer(thing.flattrs)),
            ("description", .string(thing.description)),
            ("title", .string(thing.title)),
        ]
        if detailed {
            members.append(("last_flattr_at", .integer(thing.lastFlattrAt)))
            members.append(("updated_at", .integer(thing.updatedAt)))
        }
        if let viewer {
            members.append(("flattred", .bool(thing.flattredBy.contains(viewer))))
        }
        return .object(members)
    }
}
