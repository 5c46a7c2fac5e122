/// Copies ("I made one"): the latest, a new one through an image upload, edits and deletion
/// by the maker, likes, and their images.
extension APIController {
    /// `PATCH /copies/{id}`: the maker only; `description`.
    func updateCopy(_ state: inout SimulatorState, _ call: APICall) throws(APIError) -> APIReply {
        let index = try call.index(in: state.copies, what: "copy", only: "the maker", can: "change it") { $0.makerID == call.viewerID }
        if let description = try call.bodyFields().string("description") {
            state.copies[index].description = description
        }
        return .object(presenter.copy(state.copies[index], in: state, viewerID: call.viewerID))
    }

    /// `DELETE /copies/{id}`: the maker only; its comments and likes go too.
    func deleteCopy(_ state: inout SimulatorState, _ call: APICall) throws(APIError) -> APIReply {
        let index = try call.index(in: state.copies, what: "copy", only: "the maker", can: "delete it") { $0.makerID == call.viewerID }
        let id = state.copies[index].id
        state.copies.remove(at: index)
        state.comments.removeAll { $0.target == .copy(id) }
        state.copyLikes = state.copyLikes.filter { $0.copyID != id }
        return .ok
    }

    /// `POST` (like) and `DELETE /copies/{id}/likes` (unlike): 400 for your own copy, a second
    /// like or one you do not like.
    func setCopyLiked(_ liked: Bool, _ state: inout SimulatorState, _ call: APICall) throws(APIError) -> APIReply {
        let copy = try call.record(in: state.copies, what: "copy")
        guard copy.makerID != call.viewerID else { throw .badRequest("You cannot \(liked ? "like" : "unlike") your own copy.") }
        let refusal = liked ? "You already like copy \(copy.id)." : "You do not like copy \(copy.id)."
        return try mark(CopyLike(userID: call.viewerID, copyID: copy.id), liked, in: &state.copyLikes, refusal: refusal)
    }

    /// `PATCH /copies/{id}/images/{image_id}`: the maker only; `rank`, `featured`.
    func updateCopyImage(_ state: inout SimulatorState, _ call: APICall) throws(APIError) -> APIReply {
        let index = try call.index(in: state.copies, what: "copy", only: "the maker", can: "change its images") { $0.makerID == call.viewerID }
        state.copies[index].images = try reordered(state.copies[index].images, call, owner: "Copy \(state.copies[index].id)")
        return .ok
    }

    /// `DELETE /copies/{id}/images/{image_id}`: the maker only.
    func deleteCopyImage(_ state: inout SimulatorState, _ call: APICall) throws(APIError) -> APIReply {
        let index = try call.index(in: state.copies, what: "copy", only: "the maker", can: "delete its images") { $0.makerID == call.viewerID }
        let image = try call.member(of: state.copies[index].images, "image_id", what: "image", owner: "Copy \(state.copies[index].id)")
        state.copies[index].images.removeAll { $0.id == image.id }
        return .ok
    }
}
