import HTTPTypes

/// Comments on things, copies and group topics, flat (`/comments`) or threaded
/// (`/threaded-comments`), and `/comments/{id}` with replies, edits and deletion.
extension APIController {
    /// The `comments/...` endpoints of `routes`, each with its handler.
    static let commentRoutes: [APIRoute] = [
        // The latest comments, newest first.
        APIRoute(.get, "comments") { api, state, call throws(APIError) in
            let visible = state.comments.filter { comment in
                guard case .thing(let id) = comment.target else { return true }
                return state.visibleThing(id: id, viewerID: call.viewerID) != nil
            }
            return .list(visible.sorted { ($0.added, $0.id) > ($1.added, $1.id) }.map { api.presenter.comment($0, in: state) })
        },
        // `body`, `target_type` (`thing` or `make`) and `target_id`.
        APIRoute(.post, "comments") { api, state, call throws(APIError) in
            let fields = try call.bodyFields()
            guard let targetID = try fields.integer("target_id") else {
                throw .badRequest("A comment needs a target_id.", code: "invalid_field")
            }
            let target: CommentTarget
            switch try fields.string("target_type")?.lowercased() {
            case "thing"?: target = .thing(targetID)
            case "make"?, "copy"?: target = .copy(targetID)
            default: throw .badRequest("target_type must be thing or make.", code: "invalid_field")
            }
            return try api.addComment(to: target, &state, call)
        },
        APIRoute(.get, "comments/:id") { api, state, call in
            let comment = try call.record(in: state.comments, what: "comment")
            try api.checkTarget(comment.target, state, call)
            return .object(api.presenter.comment(comment, in: state))
        },
        // The author only; replaces `body`.
        APIRoute(.patch, "comments/:id") { api, state, call throws(APIError) in
            let index = try call.index(in: state.comments, what: "comment")
            guard state.comments[index].authorID == call.viewerID else {
                throw .forbidden("Only the author can change comment \(state.comments[index].id).")
            }
            let fields = try call.bodyFields()
            if let body = try fields.nonBlankString("body") {
                state.comments[index].body = body
                state.comments[index].modified = call.now
            }
            return .object(api.presenter.comment(state.comments[index], in: state))
        },
        // The author, or the owner of what it is on; its replies go too.
        APIRoute(.delete, "comments/:id") { api, state, call throws(APIError) in
            let comment = try call.record(in: state.comments, what: "comment")
            // Whoever may not see the target (someone else's draft thing) does not own it either.
            guard comment.authorID == call.viewerID || (try? api.checkTarget(comment.target, state, call)) == call.viewerID else {
                throw .forbidden("Only the author or the owner of what it is on can delete comment \(comment.id).")
            }
            // A reply is always stored after the comment it answers, so one pass finds every descendant.
            var doomed: Set<Int> = [comment.id]
            for reply in state.comments where reply.parentID.map(doomed.contains) == true {
                doomed.insert(reply.id)
            }
            state.comments.removeAll { doomed.contains($0.id) }
            return .ok
        },
        APIRoute(.post, "comments/:id/reply") { api, state, call in
            let parent = try call.record(in: state.comments, what: "comment")
            return try api.addComment(to: parent.target, parentID: parent.id, &state, call)
        },
    ]

    /// Checks that `target` exists and the caller may see it; answers who owns it (the thing's
    /// owner, the copy's maker, the owner of the topic's group).
    @discardableResult
    func checkTarget(_ target: CommentTarget, _ state: SimulatorState, _ call: APICall) throws(APIError) -> Int? {
        switch target {
        case .thing(let id):
            return try visibleThing(state, call, id: id).ownerID
        case .copy(let id):
            guard let copy = state.copy(id: id) else { throw .notFound("No copy with id \(id).") }
            return copy.makerID
        case .groupTopic(let id):
            guard let topic = state.groupTopic(id: id) else { throw .notFound("No group topic with id \(id).") }
            return state.group(id: topic.groupID)?.ownerID
        }
    }

    /// The comments on `target`, oldest first, once it is checked to exist and be visible.
    func comments(on target: CommentTarget, _ state: SimulatorState, _ call: APICall) throws(APIError) -> [SimComment] {
        try checkTarget(target, state, call)
        return state.comments(on: target)
    }

    /// Adds a comment by the caller; 201 with the comment. `POST .../comments` of things,
    /// copies and group topics (`body`).
    func addComment(
        to target: CommentTarget, parentID: Int? = nil, _ state: inout SimulatorState, _ call: APICall
    ) throws(APIError) -> APIReply {
        try checkTarget(target, state, call)
        let body = try call.bodyFields().requiredString("body", what: "A comment")
        let comment = SimComment(
            id: state.newID(), target: target, parentID: parentID, authorID: call.viewerID, body: body,
            added: call.now, modified: call.now)
        state.comments.append(comment)
        return .object(presenter.comment(comment, in: state), status: .created)
    }
}
