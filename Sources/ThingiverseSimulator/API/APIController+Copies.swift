import HTTPTypes

/// Copies ("I made one"): the latest, a new one through an image upload, edits and deletion
/// by the maker, likes, and their images.
extension APIController {
    /// The `copies/...` endpoints of `routes`, each with its handler.
    static let copyRoutes: [APIRoute] = [
        APIRoute(.get, "copies") { $0.copies($1.copies.sorted { ($0.added, $0.id) > ($1.added, $1.id) }, $1, $2) },
        APIRoute(.get, "copies/:id") { .object($0.presenter.copy(try $2.record(in: $1.copies, what: "copy"), in: $1, viewerID: $2.viewerID)) },
        // The maker only; `description`.
        APIRoute(.patch, "copies/:id") { api, state, call throws(APIError) in
            let index = try call.index(in: state.copies, what: "copy", only: "the maker", can: "change it") { $0.makerID == call.viewerID }
            if let description = try call.bodyFields().string("description") {
                state.copies[index].description = description
            }
            return .object(api.presenter.copy(state.copies[index], in: state, viewerID: call.viewerID))
        },
        // The maker only; its comments and likes go too.
        APIRoute(.delete, "copies/:id") { api, state, call throws(APIError) in
            let index = try call.index(in: state.copies, what: "copy", only: "the maker", can: "delete it") { $0.makerID == call.viewerID }
            let id = state.copies[index].id
            state.copies.remove(at: index)
            state.comments.removeAll { $0.target == .copy(id) }
            state.copyLikes = state.copyLikes.filter { $0.copyID != id }
            return .ok
        },
        APIRoute(.get, "copies/:id/images") { api, state, call in
            let copy = try call.record(in: state.copies, what: "copy")
            return .list(copy.images.map { api.presenter.image($0, url: "\(api.presenter.api)/copies/\(copy.id)/images/\($0.id)") })
        },
        APIRoute(.post, "copies/:id/images") { api, state, call in
            let index = try call.index(in: state.copies, what: "copy", only: "the maker", can: "add images to it") { $0.makerID == call.viewerID }
            return try api.startUpload(&state, call, purpose: .copyImage(copyID: state.copies[index].id), isImage: true)
        },
        // The maker only; `rank`, `featured`.
        APIRoute(.patch, "copies/:id/images/:image_id") { api, state, call throws(APIError) in
            let index = try call.index(in: state.copies, what: "copy", only: "the maker", can: "change its images") { $0.makerID == call.viewerID }
            state.copies[index].images = try api.reordered(state.copies[index].images, call, owner: "Copy \(state.copies[index].id)")
            return .ok
        },
        APIRoute(.delete, "copies/:id/images/:image_id") { api, state, call throws(APIError) in
            let index = try call.index(in: state.copies, what: "copy", only: "the maker", can: "delete its images") { $0.makerID == call.viewerID }
            let image = try call.member(of: state.copies[index].images, "image_id", what: "image", owner: "Copy \(state.copies[index].id)")
            state.copies[index].images.removeAll { $0.id == image.id }
            return .ok
        },
        APIRoute(.post, "copies/:id/likes") { try $0.setCopyLiked(true, &$1, $2) },
        APIRoute(.delete, "copies/:id/likes") { try $0.setCopyLiked(false, &$1, $2) },
    ]

    /// `POST` (like) and `DELETE /copies/{id}/likes` (unlike): 400 for your own copy, a second
    /// like or one you do not like.
    func setCopyLiked(_ liked: Bool, _ state: inout SimulatorState, _ call: APICall) throws(APIError) -> APIReply {
        let copy = try call.record(in: state.copies, what: "copy")
        guard copy.makerID != call.viewerID else { throw .badRequest("You cannot \(liked ? "like" : "unlike") your own copy.") }
        let refusal = liked ? "You already like copy \(copy.id)." : "You do not like copy \(copy.id)."
        return try mark(CopyLike(userID: call.viewerID, copyID: copy.id), liked, in: &state.copyLikes, refusal: refusal)
    }
}
