extension APIController {
    /// Licenses Thingiverse accepts for `default_license` and a thing's `license`.
    static let licenses: Set<String> = ["cc", "cc-sa", "cc-nd", "cc-nc", "cc-nc-sa", "cc-nc-nd", "pd0", "gpl", "lgpl", "bsd"]

    /// The user named in the path; `me` is the token's owner.
    func user(_ state: SimulatorState, _ call: APICall) throws(APIError) -> SimUser {
        let name = call.parameter("name")
        let found = name.lowercased() == "me" ? state.user(id: call.viewerID) : state.user(named: name)
        guard let found else { throw .notFound("No user named \"\(name)\".") }
        return found
    }

    /// `GET /users/{name}`
    func getUser(_ state: inout SimulatorState, _ call: APICall) throws(APIError) -> APIReply {
        .object(presenter.user(try user(state, call), viewerID: call.viewerID))
    }

    /// `PATCH /users/{name}`: only the user themself.
    func updateUser(_ state: inout SimulatorState, _ call: APICall) throws(APIError) -> APIReply {
        var target = try user(state, call)
        guard target.id == call.viewerID else { throw .forbidden("You can only change your own profile.") }
        let fields = try call.bodyFields()
        if let value = try fields.string("first_name") { target.firstName = value }
        if let value = try fields.string("last_name") { target.lastName = value }
        if let value = try fields.string("bio") { target.bio = value }
        if let value = try fields.string("location") { target.location = value }
        if let value = try fields.string("default_license") {
            guard Self.licenses.contains(value) else {
                throw .badRequest("default_license must be one of \(Self.licenses.sorted().joined(separator: ", ")).")
            }
            target.defaultLicense = value
        }
        target.lastActive = call.now
        if let index = state.users.firstIndex(where: { $0.id == target.id }) {
            state.users[index] = target
        }
        return .object(presenter.user(target, viewerID: call.viewerID))
    }

    /// `GET /users/{name}/things`: newest first; drafts only for their owner.
    func userThings(_ state: inout SimulatorState, _ call: APICall) throws(APIError) -> APIReply {
        let owner = try user(state, call)
        let things = state.visibleThings(viewerID: call.viewerID)
            .filter { $0.ownerID == owner.id }
            .sorted { $0.added > $1.added }
        return .list(things.map { presenter.thingSummary($0, in: state, viewerID: call.viewerID) })
    }

    /// `GET /users/{name}/likes`
    func userLikes(_ state: inout SimulatorState, _ call: APICall) throws(APIError) -> APIReply {
        let liker = try user(state, call)
        let liked = Set(state.likes.filter { $0.userID == liker.id }.map(\.thingID))
        let things = state.visibleThings(viewerID: call.viewerID)
            .filter { liked.contains($0.id) }
            .sorted { $0.added > $1.added }
        return .list(things.map { presenter.thingSummary($0, in: state, viewerID: call.viewerID) })
    }

    /// `GET /users/{name}/collections`
    func userCollections(_ state: inout SimulatorState, _ call: APICall) throws(APIError) -> APIReply {
        let owner = try user(state, call)
        let collections = state.collections.filter { $0.ownerID == owner.id }.sorted { $0.added > $1.added }
        return .list(collections.map { presenter.collection($0, in: state, viewerID: call.viewerID) })
    }

    /// `GET /users/{name}/copies`
    func userCopies(_ state: inout SimulatorState, _ call: APICall) throws(APIError) -> APIReply {
        let maker = try user(state, call)
        let copies = state.copies.filter { $0.makerID == maker.id }.sorted { $0.added > $1.added }
        return .list(copies.map { presenter.copy($0, in: state, viewerID: call.viewerID) })
    }
}
