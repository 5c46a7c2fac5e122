import HTTPTypes
import Hummingbird

/// `GET /user`, `/user/things`, `/users/:username`, `/users/:username/things`.
extension FlattrAPIController {
    /// The token's own account with its email address (`/user`), or a user's public profile,
    /// never with the email address (`/users/:username`).
    func user(_ state: inout FlattrState, _ call: FlattrAPICall) throws -> Response {
        let (user, isOwn) = try Self.account(in: state, call)
        return .flattrJSON(presenter.user(user, includeEmail: isOwn))
    }

    /// The account's things, newest first, paged by the optional `count` (at most 100) and `page`
    /// parameters; hidden ones only for the user themself.
    func userThings(_ state: inout FlattrState, _ call: FlattrAPICall) throws -> Response {
        let username = try Self.account(in: state, call).user.username
        let things = state.things
            .filter { $0.ownerName == username && (!$0.hidden || call.viewer == username) }
            .sorted { $0.createdAt > $1.createdAt }
        let shown = try call.page(of: things, defaultCount: max(things.count, 1)).items
        return .flattrJSON(.array(shown.map { presenter.thing($0, viewer: call.viewer) }))
    }

    /// The user named by the path, or the token's own account for the `user/...` paths.
    private static func account(
        in state: FlattrState, _ call: FlattrAPICall
    ) throws(FlattrAPIError) -> (user: FlattrUser, isOwn: Bool) {
        guard let name = call.parameters["username"] else {
            guard let user = state.user(named: try call.requireToken().username) else { throw .missingToken }
            return (user, true)
        }
        guard let user = state.user(named: name) else { throw .notFound("The requested user could not be found") }
        return (user, false)
    }
}
