import HTTPTypes
import Hummingbird

/// `GET /things/:id[,:id...]`, `/things/lookup`, `/things/search`, `POST /things`,
/// `PATCH /things/:id` (or `POST` with `_method=patch`) and `DELETE /things/:id`.
extension FlattrAPIController {
    /// One thing (an object with `last_flattr_at` and `updated_at`), or several for a
    /// comma-separated list (an array of the ones found, in the order asked).
    func things(_ state: inout FlattrState, _ call: FlattrAPICall) throws -> Response {
        let list = call.parameter("ids")
        let ids = list.split(separator: ",").compactMap { Int($0.trimmingSpaces) }
        let found = ids.compactMap { id in state.thingIndex(id: id).map { state.things[$0] } }
        guard list.contains(",") else {
            guard let thing = found.first else { throw FlattrAPIError.notFound("the thing can not be found") }
            return .flattrJSON(presenter.thing(thing, viewer: call.viewer, detailed: true))
        }
        guard !found.isEmpty else { throw FlattrAPIError.notFound("The requested thing(s) could not be found") }
        return .flattrJSON(.array(found.map { presenter.thing($0, viewer: call.viewer) }))
    }

    /// `?url=`: 302 to the thing's API resource, or 404. Understands auto-submit URLs
    /// (`.../submit/auto?url=..&user_id=..`), looking up the URL inside.
    func lookup(_ state: inout FlattrState, _ call: FlattrAPICall) throws -> Response {
        guard let given = call.query["url"], !given.isEmpty else {
            throw FlattrAPIError.validation("The url parameter is required.")
        }
        var url = given
        var owner: String?
        if let mark = given.firstIndex(of: "?"), given[..<mark].hasSuffix("/submit/auto") {
            let parameters = FormEncoding.dictionary(given[given.index(after: mark)...])
            url = parameters["url"] ?? ""
            owner = parameters["user_id"].flatMap { $0.isEmpty ? nil : $0.lowercased() }
        }
        let wanted = Self.comparable(url)
        guard
            let thing = state.things.first(where: {
                Self.comparable($0.url) == wanted && (owner == nil || $0.ownerName.lowercased() == owner)
            })
        else {
            return .flattrJSON(
                .object([("message", .string("not_found")), ("description", .string("No thing was found"))]),
                status: .notFound)
        }
        let location = presenter.thingResource(thing.id)
        return .flattrJSON(
            .object([("message", .string("found")), ("location", .string(location))]), status: .found, headers: [.location: location])
    }

    /// `query`, `category` (comma-separated), `tags` (expression), `user`, `language`, `sort`
    /// (`flattrs`, `trend`, `flattrs_month`, ... sort by flattrs; `relevance`, the default, by
    /// newest), `page` and `count` (default 30, at most 100).
    func search(_ state: inout FlattrState, _ call: FlattrAPICall) throws -> Response {
        let search = FlattrThingSearch(query: call.query)
        var matches = state.things.filter { search.matches($0) }.sorted { $0.createdAt > $1.createdAt }
        if let sort = call.query["sort"], sort == "trend" || sort.hasPrefix("flattrs") {
            matches.sort { ($0.flattrs, $0.createdAt) > ($1.flattrs, $1.createdAt) }
        }
        let (page, shown) = try call.page(of: matches, defaultCount: 30)
        return .flattrJSON(
            .object([
                ("total_items", .integer(matches.count)),
                ("items", .integer(shown.count)),
                ("page", .integer(page)),
                ("things", .array(shown.map { presenter.thing($0, viewer: call.viewer) })),
            ]))
    }

    /// Registers a URL as a thing of the token's user (201); the caller's own URL again answers
    /// 200 with the existing id, someone else's 400 "Owner mismatch".
    func createThing(_ state: inout FlattrState, _ call: FlattrAPICall) throws -> Response {
        let token = try call.requireToken(scope: "thing", refusal: "Cannot create a thing.")
        let fields = try call.bodyFields()
        guard let url = try fields.string("url"), AbsoluteWebURL.isValid(url) else {
            throw FlattrAPIError.validation("Invalid url")
        }
        var thing = FlattrThing(
            id: state.nextThingID, url: url, ownerName: token.username, title: url, description: "", category: .rest, tags: [],
            hasImage: false, createdAt: call.now, lastFlattrAt: 0, anonymousFlattrs: 0)
        try Self.apply(fields, to: &thing)

        if let existing = state.things.first(where: { Self.comparable($0.url) == Self.comparable(url) }) {
            guard existing.ownerName == token.username else {
                throw FlattrAPIError.validation("Owner mismatch. Current thing owned by other account.")
            }
            return registered(existing.id, "Thing already exists", status: .ok)
        }
        state.nextThingID += 1
        state.things.append(thing)
        return registered(thing.id, "Thing was created successfully", status: .created)
    }

    /// Changes the fields sent (`title`, `description`, `category`, `language`, `tags`,
    /// `hidden`) of one of the token's things; a thing's `url` cannot change.
    func updateThing(_ state: inout FlattrState, _ call: FlattrAPICall) throws -> Response {
        let token = try call.requireToken(scope: "thing", refusal: "Cannot update the thing.")
        let index = try Self.thingIndex(call, in: state, owner: token, refusal: "Cannot update the thing. It is not your thing.")
        let fields = try call.bodyFields()
        var thing = state.things[index]
        if let url = try fields.string("url"), Self.comparable(url) != Self.comparable(thing.url) {
            throw FlattrAPIError.validation("The url of a thing cannot be changed.")
        }
        try Self.apply(fields, to: &thing)
        thing.updatedAt = call.now
        state.things[index] = thing
        return .flattrJSON(.object([("message", .string("ok")), ("description", .string("Thing was updated correctly"))]))
    }

    /// Removes one of the token's things (204).
    func deleteThing(_ state: inout FlattrState, _ call: FlattrAPICall) throws -> Response {
        let refusal = "Cannot delete the thing. Maybe it's not your thing or the scope thing is missing."
        let token = try call.requireToken(scope: "thing", refusal: refusal)
        let index = try Self.thingIndex(call, in: state, owner: token, refusal: refusal)
        state.things.remove(at: index)
        return Response(status: .noContent, headers: [.contentType: Response.flattrJSONType])
    }

    // MARK: Helpers

    /// `{"id", "link", "message": "ok", "description"}`: where the registered thing is.
    private func registered(_ id: Int, _ description: String, status: HTTPResponse.Status) -> Response {
        let link = presenter.thingResource(id)
        return .flattrJSON(
            .object([("id", .integer(id)), ("link", .string(link)), ("message", .string("ok")), ("description", .string(description))]),
            status: status)
    }

    /// Sets what a thing's owner may set when creating or updating it; absent fields change nothing.
    private static func apply(_ fields: FlattrFields, to thing: inout FlattrThing) throws(FlattrAPIError) {
        if let title = try fields.string("title") { thing.title = title }
        if let description = try fields.string("description") { thing.description = description }
        if let category = try fields.category("category") { thing.category = category }
        if let language = try fields.string("language") { thing.language = language }
        if let tags = try fields.strings("tags") { thing.tags = tags }
        if let hidden = try fields.bool("hidden") { thing.hidden = hidden }
    }

    /// The index of the single thing named by the path (a list of ids cannot be changed), which
    /// must be `owner`'s (403 with `refusal` otherwise).
    private static func thingIndex(
        _ call: FlattrAPICall, in state: FlattrState, owner: FlattrToken, refusal: String
    ) throws(FlattrAPIError) -> Int {
        guard let id = Int(call.parameter("ids")), let index = state.thingIndex(id: id) else {
            throw .notFound("the thing can not be found")
        }
        guard state.things[index].ownerName == owner.username else { throw .forbidden(refusal) }
        return index
    }

    /// URLs compare equal regardless of a trailing slash.
    static func comparable(_ url: String) -> String {
        url.droppingTrailingSlashes
    }
}
