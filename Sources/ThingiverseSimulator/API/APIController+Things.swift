import HTTPTypes

extension APIController {
    /// The thing named by `:id` (or `id`): 404 if there is none, 403 if it is someone else's draft.
    func visibleThing(_ state: SimulatorState, _ call: APICall, id given: Int? = nil) throws(APIError) -> SimThing {
        let id = if let given { given } else { try call.id("id", what: "thing") }
        guard let thing = state.thing(id: id) else { throw .notFound("No thing with id \(id).") }
        guard thing.isPublished || thing.ownerID == call.viewerID else {
            throw .forbidden("Thing \(id) is not published and belongs to someone else.")
        }
        return thing
    }

    /// The thing named by `:id` when the caller owns it (else 403).
    func ownedThing(_ state: SimulatorState, _ call: APICall, action: String) throws(APIError) -> SimThing {
        let thing = try visibleThing(state, call)
        guard thing.ownerID == call.viewerID else {
            throw .forbidden("Only the owner of thing \(thing.id) can \(action) it.")
        }
        return thing
    }

    /// `POST /things`: creates an unpublished thing owned by the caller; 201 with the thing.
    func createThing(_ state: inout SimulatorState, _ call: APICall) throws(APIError) -> APIReply {
        let fields = try call.bodyFields()
        guard let name = try fields.string("name")?.trimmingWhitespace, !name.isEmpty else {
            throw .badRequest("A new thing needs a name.", code: "invalid_field")
        }
        guard let owner = state.user(id: call.viewerID) else { throw .forbidden("The token's user no longer exists.") }
        let id = (state.things.map(\.id).max() ?? SeedData.firstThingID) + 17
        var thing = SimThing(
            id: id, name: name, ownerID: owner.id, license: owner.defaultLicense, added: call.now, modified: call.now,
            images: [SimImage(id: id * 10 + 1, name: "placeholder.png", added: call.now)])
        try apply(fields, to: &thing, in: state)
        if let ancestors = try fields.integers("ancestors") {
            guard ancestors.allSatisfy({ state.thing(id: $0) != nil }) else {
                throw .badRequest("Every ancestor must be an existing thing id.", code: "invalid_field")
            }
            thing.ancestors = ancestors
        }
        state.things.append(thing)
        return .object(presenter.thing(thing, in: state, viewerID: call.viewerID), status: .created)
    }

    /// `PATCH /things/{id}`: owner only.
    func updateThing(_ state: inout SimulatorState, _ call: APICall) throws(APIError) -> APIReply {
        var thing = try ownedThing(state, call, action: "change")
        let fields = try call.bodyFields()
        if let name = try fields.nonBlankString("name") { thing.name = name }
        try apply(fields, to: &thing, in: state)
        thing.modified = call.now
        state.save(thing)
        return .object(presenter.thing(thing, in: state, viewerID: call.viewerID))
    }

    /// The fields `POST` and `PATCH` share (everything but `name` and `ancestors`).
    private func apply(_ fields: BodyFields, to thing: inout SimThing, in state: SimulatorState) throws(APIError) {
        if let license = try fields.choice("license", in: Self.licenses) { thing.license = license }
        if let categoryName = try fields.string("category") {
            guard let category = state.category(slugOrName: categoryName) else {
                throw .badRequest("There is no category \"\(categoryName)\".", code: "invalid_field")
            }
            thing.categorySlug = category.slug
        }
        if let description = try fields.string("description") { thing.description = description }
        if let instructions = try fields.string("instructions") { thing.instructions = instructions }
        if let isWIP = try fields.bool("is_wip") { thing.isWIP = isWIP }
        if let tags = try fields.strings("tags") {
            var normalized: [String] = []
            for tag in tags.map(Self.normalizedTag) where !tag.isEmpty && !normalized.contains(tag) {
                normalized.append(tag)
            }
            thing.tags = normalized
        }
    }

    /// `DELETE /things/{id}`: owner only; also removes its likes, copies, comments, downloads,
    /// pending uploads and its entries in collections and groups.
    func deleteThing(_ state: inout SimulatorState, _ call: APICall) throws(APIError) -> APIReply {
        let thing = try ownedThing(state, call, action: "delete")
        state.things.removeAll { $0.id == thing.id }
        state.likes = state.likes.filter { $0.thingID != thing.id }
        let copyIDs = Set(state.copies.filter { $0.thingID == thing.id }.map(\.id))
        state.copies.removeAll { copyIDs.contains($0.id) }
        state.comments.removeAll { $0.target.isAmong(things: [thing.id], copies: copyIDs) }
        state.downloads.removeAll { $0.thingID == thing.id }
        state.pendingUploads.removeAll { [.thingFile(thingID: thing.id), .newCopy(thingID: thing.id)].contains($0.purpose) }
        for index in state.collections.indices {
            state.collections[index].thingIDs.removeAll { $0 == thing.id }
        }
        for index in state.groups.indices {
            state.groups[index].things.removeAll { $0.thingID == thing.id }
        }
        return .ok
    }

    /// `POST /things/{id}/publish`: 400 with `errors` when the name or description is blank.
    func publishThing(_ state: inout SimulatorState, _ call: APICall) throws(APIError) -> APIReply {
        var thing = try ownedThing(state, call, action: "publish")
        var reasons: [String] = []
        if thing.name.trimmingWhitespace.isEmpty { reasons.append("The thing needs a name.") }
        if thing.description.trimmingWhitespace.isEmpty { reasons.append("The thing needs a description.") }
        guard reasons.isEmpty else {
            var error = APIError.badRequest(reasons.joined(separator: " "), code: "cannot_publish")
            error.extra = [("errors", .array(reasons.map { .string($0) }))]
            throw error
        }
        thing.isPublished = true
        thing.modified = call.now
        state.save(thing)
        return .object(presenter.thing(thing, in: state, viewerID: call.viewerID))
    }

    /// A visible thing's images or files (`members`), each shown by `show`; with `one` (the path
    /// parameter and what it names), only the member it names.
    func thingMembers<Member: Identifiable>(
        _ members: KeyPath<SimThing, [Member]>, _ state: SimulatorState, _ call: APICall, one: (String, String)? = nil,
        show: (Member, SimThing) -> JSONValue
    ) throws(APIError) -> APIReply where Member.ID == Int {
        let thing = try visibleThing(state, call)
        guard let (parameter, what) = one else { return .list(thing[keyPath: members].map { show($0, thing) }) }
        return .object(show(try call.member(of: thing[keyPath: members], parameter, what: what, owner: "Thing \(thing.id)"), thing))
    }

    /// `POST` (like) and `DELETE /things/{id}/likes` (unlike): 400 for your own thing, a second
    /// like or one you do not like.
    func setThingLiked(_ liked: Bool, _ state: inout SimulatorState, _ call: APICall) throws(APIError) -> APIReply {
        let thing = try visibleThing(state, call)
        guard thing.ownerID != call.viewerID else { throw .badRequest("You cannot \(liked ? "like" : "unlike") your own thing.") }
        let refusal = liked ? "You already like thing \(thing.id)." : "You do not like thing \(thing.id)."
        return try mark(Like(userID: call.viewerID, thingID: thing.id), liked, in: &state.likes, refusal: refusal)
    }

    /// Adds (`on`) or takes away one of the caller's marks (a like, a follow); 400 with
    /// `refusal` when it is already so.
    func mark<Mark: Hashable>(_ mark: Mark, _ on: Bool, in marks: inout Set<Mark>, refusal: String) throws(APIError) -> APIReply {
        guard marks.contains(mark) != on else { throw .badRequest(refusal) }
        if on {
            marks.insert(mark)
        } else {
            marks.remove(mark)
        }
        return .ok
    }

    /// `GET /things/{id}/copies` (and `/prints`): newest first.
    func thingCopies(_ state: SimulatorState, _ call: APICall) throws(APIError) -> APIReply {
        let thing = try visibleThing(state, call)
        return copies(state.copies.filter { $0.thingID == thing.id }.sorted { $0.added > $1.added }, state, call)
    }

    /// `GET /things/{id}/derivatives`: the things that remix this one.
    func thingDerivatives(_ state: inout SimulatorState, _ call: APICall) throws(APIError) -> APIReply {
        let thing = try visibleThing(state, call)
        let derivatives = state.visibleThings(viewerID: call.viewerID)
            .filter { $0.ancestors.contains(thing.id) }
            .sorted { $0.added > $1.added }
        return summaries(derivatives, state, call)
    }

    /// The file `:id` names and its thing, when the caller may see the thing (404 otherwise).
    func visibleFile(_ state: SimulatorState, _ call: APICall) throws(APIError) -> (thing: SimThing, file: SimFile) {
        let id = try call.id("id", what: "file")
        guard let found = state.file(id: id), found.thing.isPublished || found.thing.ownerID == call.viewerID else {
            throw .notFound("No file with id \(id).")
        }
        return found
    }

    /// Tags as Thingiverse normalizes them: lower case, whitespace to `_`, only letters,
    /// digits, `_` and `-` kept.
    static func normalizedTag(_ tag: String) -> String {
        var result = ""
        for character in tag.lowercased().trimmingWhitespace {
            if character.isWhitespace {
                result.append("_")
            } else if character.isLetter || character.isNumber || character == "_" || character == "-" {
                result.append(character)
            }
        }
        return result
    }
}

extension StringProtocol {
    var trimmingWhitespace: String {
        String(self.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
