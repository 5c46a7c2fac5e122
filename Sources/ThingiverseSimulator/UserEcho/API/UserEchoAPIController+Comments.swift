/// Posting a comment (`POST topics/{id}/comments`) and the comment lists.
extension UserEchoAPIController {
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

    /// The comments `include` keeps, oldest first, filtered and paged.
    func commentList(
        _ state: UserEchoState, _ call: UserEchoAPICall, where include: (UserEchoComment) -> Bool
    ) throws -> JSONValue {
        try call.listed(state.comments(where: include).map { presenter.comment($0, in: state) })
    }
}
