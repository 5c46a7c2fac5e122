import HTTPTypes

extension APIController {
    /// The `things/...` endpoints of `routes`, each with its handler.
    static let thingRoutes: [APIRoute] = [
        // Creates an unpublished thing owned by the caller; 201 with the thing.
        APIRoute(.post, "things") { api, state, call throws(APIError) in
            let fields = try call.bodyFields()
            guard let name = try fields.string("name")?.trimmingWhitespace, !name.isEmpty else {
                throw .badRequest("A new thing needs a name.", code: "invalid_field")
            }
            guard let owner = state.user(id: call.viewerID) else { throw .forbidden("The token's user no longer exists.") }
            let id = (state.things.map(\.id).max() ?? SeedData.firstThingID) + 17
            var thing = SimThing(
                id: id, name: name, ownerID: owner.id, license: owner.defaultLicense, added: call.now, modified: call.now,
                images: [SimImage(id: id * 10 + 1, name: "placeholder.png", added: call.now)])
            try api.apply(fields, to: &thing, in: state)
            if let ancestors = try fields.integers("ancestors") {
                guard ancestors.allSatisfy({ state.thing(id: $0) != nil }) else {
                    throw .badRequest("Every ancestor must be an existing thing id.", code: "invalid_field")
                }
                thing.ancestors = ancestors
            }
            state.things.append(thing)
            return .object(api.presenter.thing(thing, in: state, viewerID: call.viewerID), status: .created)
        },
        APIRoute(.get, "things/:id") { .object($0.presenter.thing(try $0.visibleThing($1, $2), in: $1, viewerID: $2.viewerID)) },
        APIRoute(.patch, "things/:id") { api, state, call throws(APIError) in
            var thing = try api.ownedThing(state, call, action: "change")
            let fields = try call.bodyFields()
            if let name = try fields.nonBlankString("name") { thing.name = name }
            try api.apply(fields, to: &thing, in: state)
            thing.modified = call.now
            state.save(thing)
            return .object(api.presenter.thing(thing, in: state, viewerID: call.viewerID))
        },
        // Owner only; also removes its likes, copies, comments, downloads, pending uploads and its entries in
        // collections and groups.
        APIRoute(.delete, "things/:id") { api, state, call throws(APIError) in
            let thing = try api.ownedThing(state, call, action: "delete")
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
        },
        // 400 with `errors` when the name or description is blank.
        APIRoute(.post, "things/:id/publish") { api, state, call throws(APIError) in
            var thing = try api.ownedThing(state, call, action: "publish")
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
            return .object(api.presenter.thing(thing, in: state, viewerID: call.viewerID))
        },
        APIRoute(.get, "things/:id/images") { try $0.thingMembers(\.images, $1, $2, show: $0.presenter.image(_:of:)) },
        APIRoute(.get, "things/:id/images/:image_id") {
            try $0.thingMembers(\.images, $1, $2, one: ("image_id", "image"), show: $0.presenter.image(_:of:))
        },
        // Owner only; `rank` (1 = first) moves the image, `featured: true` makes it the thing's default image.
        APIRoute(.patch, "things/:id/images/:image_id") { api, state, call throws(APIError) in
            var thing = try api.ownedThing(state, call, action: "change images of")
            thing.images = try api.reordered(thing.images, call, owner: "Thing \(thing.id)")
            thing.modified = call.now
            state.save(thing)
            return .ok
        },
        APIRoute(.delete, "things/:id/images/:image_id") { api, state, call throws(APIError) in
            var thing = try api.ownedThing(state, call, action: "delete images of")
            let image = try call.member(of: thing.images, "image_id", what: "image", owner: "Thing \(thing.id)")
            thing.images.removeAll { $0.id == image.id }
            thing.modified = call.now
            state.save(thing)
            return .ok
        },
        APIRoute(.get, "things/:id/files") { try $0.thingMembers(\.files, $1, $2, show: $0.presenter.file) },
        APIRoute(.post, "things/:id/files") { api, state, call in
            let thing = try api.ownedThing(state, call, action: "add files to")
            return try api.startUpload(&state, call, purpose: .thingFile(thingID: thing.id), isImage: false)
        },
        APIRoute(.get, "things/:id/files/:file_id") {
            try $0.thingMembers(\.files, $1, $2, one: ("file_id", "file"), show: $0.presenter.file)
        },
        APIRoute(.delete, "things/:id/files/:file_id") { api, state, call throws(APIError) in
            var thing = try api.ownedThing(state, call, action: "delete files of")
            let file = try call.member(of: thing.files, "file_id", what: "file", owner: "Thing \(thing.id)")
            if let key = file.storageKey { state.storedObjects[key] = nil }
            thing.files.removeAll { $0.id == file.id }
            thing.modified = call.now
            state.save(thing)
            return .ok
        },
        APIRoute(.get, "things/:id/likes") { api, state, call in
            let thing = try api.visibleThing(state, call)
            let likerIDs = Set(state.likes.filter { $0.thingID == thing.id }.map(\.userID))
            return .list(state.users.filter { likerIDs.contains($0.id) }.map(api.presenter.userSummary))
        },
        APIRoute(.post, "things/:id/likes") { try $0.setThingLiked(true, &$1, $2) },
        APIRoute(.delete, "things/:id/likes") { try $0.setThingLiked(false, &$1, $2) },
        APIRoute(.get, "things/:id/tags") { api, state, call in
            let counts = api.tagCounts(state)
            return .list(try api.visibleThing(state, call).tags.map { api.presenter.tagSummary($0, count: counts[$0] ?? 0) })
        },
        APIRoute(.get, "things/:id/categories") { api, state, call in
            let thing = try api.visibleThing(state, call)
            return .list(state.categories.filter { $0.slug == thing.categorySlug }.map { api.category($0, state, full: false) })
        },
        // The simulator's prints (the prints people reported) are its copies.
        APIRoute(.get, "things/:id/copies") { try $0.thingCopies($1, $2) },
        APIRoute(.post, "things/:id/copies") {
            try $0.startUpload(&$1, $2, purpose: .newCopy(thingID: try $0.visibleThing($1, $2).id), isImage: true)
        },
        // The things this one remixes.
        APIRoute(.get, "things/:id/ancestors") { api, state, call in
            let ancestors = try api.visibleThing(state, call).ancestors
            return api.summaries(ancestors.compactMap { state.visibleThing(id: $0, viewerID: call.viewerID) }, state, call)
        },
        // The things that remix this one.
        APIRoute(.get, "things/:id/derivatives") { api, state, call throws(APIError) in
            let thing = try api.visibleThing(state, call)
            let derivatives = state.visibleThings(viewerID: call.viewerID)
                .filter { $0.ancestors.contains(thing.id) }
                .sorted { $0.added > $1.added }
            return api.summaries(derivatives, state, call)
        },
        // Where a ZIP of all the thing's files can be fetched.
        APIRoute(.get, "things/:id/package-url") { api, state, call in
            let url = api.presenter.storageURL("packages/\(try api.visibleThing(state, call).id).zip")
            return .object(.object([("public_url", .string(url)), ("url", .string(url))]))
        },
        APIRoute(.get, "things/:id/prints") { try $0.thingCopies($1, $2) },
    ]

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
