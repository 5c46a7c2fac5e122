import HTTPTypes

/// `GET /user`, `/user/things`, `/users/:username`, `/users/:username/things`.
extension FlattrAPIController {
    /// The token's own account, with its email address.
    func currentUser(_ state: inout FlattrState, _ call: FlattrAPICall) throws -> FlattrAPIReply {
        let token = try call.requireToken()
        guard let user = state.user(named: token.username) else { throw FlattrAPIError.missingToken }
        return .json(presenter.user(user, includeEmail: true))
    }

    /// The token's own things, hidden ones included.
    func currentUserThings(_ state: inout FlattrState, _ call: FlattrAPICall) throws -> FlattrAPIReply {
        let token = try call.requireToken()
        return try ownedThings(of: token.username, in: state, call)
    }

    /// A user's public profile (never the email address).
    func user(_ state: inout FlattrState, _ call: FlattrAPICall) throws -> FlattrAPIReply {
        guard let user = state.user(named: call.parameter("username")) else {
            throw FlattrAPIError.notFound("The requested user could not be found")
        }
        return .json(presenter.user(user, includeEmail: false))
    }

    /// A user's things; hidden ones only for the user themself.
    func userThings(_ state: inout FlattrState, _ call: FlattrAPICall) throws -> FlattrAPIReply {
        guard let user = state.user(named: call.parameter("username")) else {
            throw FlattrAPIError.notFound("The requested user could not be found")
        }
        return try ownedThings(of: user.username, in: state, call)
    }

    /// Newest first, paged by the optional `count` (at most 100) and `page` parameters.
    private func ownedThings(of username: String, in state: FlattrState, _ call: FlattrAPICall) throws -> FlattrAPIReply {
        let things = state.things
            .filter { $0.ownerName == username && (!$0.hidden || call.viewer == username) }
            .sorted { $0.createdAt > $1.createdAt }
        let count = try call.positiveInteger("count", fallback: max(things.count, 1), maximum: 100)
        let page = try call.positiveInteger("page", fallback: 1, maximum: Int.max / 1000)
        let shown = things.dropFirst((page - 1) * count).prefix(count)
        return .json(.array(shown.map { presenter.thing($0, viewer: call.viewer) }))
    }
}
