/// `topics/{id}/comments` (list, create) and `users/{id}/comments`. Lists are oldest first,
/// as a conversation reads.
extension UserEchoAPIController {
    func comments(_ state: inout UserEchoState, _ call: UserEchoAPICall) throws -> JSONValue {
        let topic = state.topics[try Self.topicIndex(call, in: state)]
        return try commentList(state, call) { $0.topicID == topic.id }
    }

    /// A user's comments: their own, or anyone's for an admin.
    func userComments(_ state: inout UserEchoState, _ call: UserEchoAPICall) throws -> JSONValue {
        let user = try Self.existingUser(call, in: state)
        try call.requireOwnerOrAdmin(user.id, "You are not allowed to list the comments of another user.")
        return try commentList(state, call) { $0.authorID == user.id }
    }

    /// `text` (required); the acting user is the author.
    func createComment(_ state: inout UserEchoState, _ call: UserEchoAPICall) throws -> JSONValue {
        let index = try Self.topicIndex(call, in: state)
        let text = try call.fields.requiredString("text")
        let comment = UserEchoComment(
            id: state.newID(.comment), topicID: state.topics[index].id, authorID: call.actor.id, text: text,
            created: call.now, updated: call.now)
        state.comments.append(comment)
        state.topics[index].updated = call.now
        let shown = presenter.comment(comment, in: state)
        state.queueHooks("comment.created", data: shown, created: call.now)
        return shown
    }

    private func commentList(
        _ state: UserEchoState, _ call: UserEchoAPICall, where include: (UserEchoComment) -> Bool
    ) throws -> JSONValue {
        try call.listed(state.comments(where: include).map { presenter.comment($0, in: state) })
    }
}
