import HTTPTypes

extension APIController {
    /// The `users/...` endpoints of `routes`, each with its handler.
    static let userRoutes: [APIRoute] = [
        APIRoute(.get, "users/:name") { .object($0.presenter.user(try $0.user($1, $2), in: $1, viewerID: $2.viewerID)) },
        // Only the user themself.
        APIRoute(.patch, "users/:name") { api, state, call throws(APIError) in
            var target = try api.user(state, call)
            guard target.id == call.viewerID else { throw .forbidden("You can only change your own profile.") }
            let fields = try call.bodyFields()
            if let value = try fields.string("first_name") { target.firstName = value }
            if let value = try fields.string("last_name") { target.lastName = value }
            if let value = try fields.string("bio") { target.bio = value }
            if let value = try fields.string("location") { target.location = value }
            if let value = try fields.choice("default_license", in: Self.licenses, code: "bad_request") { target.defaultLicense = value }
            target.lastActive = call.now
            if let index = state.users.firstIndex(where: { $0.id == target.id }) {
                state.users[index] = target
            }
            return .object(api.presenter.user(target, in: state, viewerID: call.viewerID))
        },
        APIRoute(.get, "users/:name/things") { try $0.userThings(liked: false, &$1, $2) },
        APIRoute(.get, "users/:name/likes") { try $0.userThings(liked: true, &$1, $2) },
        APIRoute(.get, "users/:name/collections") { api, state, call in
            let owner = try api.user(state, call)
            return api.collections(state.collections.filter { $0.ownerID == owner.id }, state, call)
        },
        APIRoute(.get, "users/:name/copies") { api, state, call in
            let maker = try api.user(state, call)
            return api.copies(state.copies.filter { $0.makerID == maker.id }.sorted { $0.added > $1.added }, state, call)
        },
        // Things whose files the user downloaded through `GET /files/{id}/download`, most recent first, each once.
        APIRoute(.get, "users/:name/downloads") { api, state, call throws(APIError) in
            let downloader = try api.user(state, call)
            var seen: Set<Int> = []
            var things: [SimThing] = []
            for download in state.downloads.reversed() where download.userID == downloader.id && !seen.contains(download.thingID) {
                seen.insert(download.thingID)
                if let thing = state.visibleThing(id: download.thingID, viewerID: call.viewerID) {
                    things.append(thing)
                }
            }
            return api.summaries(things, state, call)
        },
        // `?timestamp=YYYY-MM-DDThh:mm:ssTZD`: how many comments and copies others made on the user's things since then
        // (all of them without a timestamp).
        APIRoute(.get, "users/:name/event-count") { api, state, call throws(APIError) in
            let target = try api.user(state, call)
            var since = 0
            if let text = call.query["timestamp"], !text.isEmpty {
                guard let parsed = Timestamp.parseISO8601(text) else {
                    throw .badRequest(
                        "timestamp must look like 2016-04-28T16:28:40+00:00 (UTC offset or Z).", code: "invalid_parameter")
                }
                since = parsed
            }
            let ownThings = Set(state.things.filter { $0.ownerID == target.id }.map(\.id))
            let ownCopies = Set(state.copies.filter { $0.makerID == target.id }.map(\.id))
            let comments = state.comments.filter {
                $0.authorID != target.id && $0.added >= since && $0.target.isAmong(things: ownThings, copies: ownCopies)
            }
            let copies = state.copies.filter { ownThings.contains($0.thingID) && $0.makerID != target.id && $0.added >= since }
            return .object(
                .object([
                    ("count", .integer(comments.count + copies.count)),
                    ("timestamp", .string(Timestamp.iso8601(since))),
                ]))
        },
        APIRoute(.post, "users/:name/followers") { try $0.setFollowing(true, &$1, $2) },
        APIRoute(.delete, "users/:name/followers") { try $0.setFollowing(false, &$1, $2) },
        APIRoute(.post, "users/:name/avatar-image") { try $0.uploadProfileImage(cover: false, &$1, $2) },
        APIRoute(.post, "users/:name/cover-image") { try $0.uploadProfileImage(cover: true, &$1, $2) },
    ]

    /// Licenses Thingiverse accepts for `default_license` and a thing's `license`.
    static let licenses: Set<String> = ["cc", "cc-sa", "cc-nd", "cc-nc", "cc-nc-sa", "cc-nc-nd", "pd0", "gpl", "lgpl", "bsd"]

    /// The user named in the path; `me` is the token's owner.
    func user(_ state: SimulatorState, _ call: APICall) throws(APIError) -> SimUser {
        let name = call.parameter("name")
        let found = name.lowercased() == "me" ? state.user(id: call.viewerID) : state.user(named: name)
        guard let found else { throw .notFound("No user named \"\(name)\".") }
        return found
    }

    /// `GET /users/{name}/things` (drafts only for their owner) or, with `liked`, `/likes`: newest first.
    func userThings(liked: Bool, _ state: inout SimulatorState, _ call: APICall) throws(APIError) -> APIReply {
        let user = try user(state, call)
        let likes = Set(state.likes.filter { $0.userID == user.id }.map(\.thingID))
        let things = state.visibleThings(viewerID: call.viewerID).filter { liked ? likes.contains($0.id) : $0.ownerID == user.id }
        return summaries(things.sorted { $0.added > $1.added }, state, call)
    }

    // MARK: Downloads, follows, event counts and profile pictures

    /// `POST` (follow) and `DELETE /users/{name}/followers` (unfollow): 400 for following
    /// yourself, someone you follow, or unfollowing someone you do not.
    func setFollowing(_ following: Bool, _ state: inout SimulatorState, _ call: APICall) throws(APIError) -> APIReply {
        let target = try user(state, call)
        guard !following || target.id != call.viewerID else { throw .badRequest("You cannot follow yourself.") }
        let refusal = following ? "You already follow \(target.name)." : "You do not follow \(target.name)."
        return try mark(Follow(followerID: call.viewerID, followedID: target.id), following, in: &state.follows, refusal: refusal)
    }

    /// `POST /users/{name}/avatar-image` and `.../cover-image`: yourself only; answers the storage
    /// form for the picture.
    func uploadProfileImage(cover: Bool, _ state: inout SimulatorState, _ call: APICall) throws(APIError) -> APIReply {
        let target = try user(state, call)
        guard target.id == call.viewerID else {
            throw .forbidden("You can only change your own \(cover ? "cover image" : "avatar").")
        }
        return try startUpload(&state, call, purpose: cover ? .cover(userID: target.id) : .avatar(userID: target.id), isImage: true)
    }
}
