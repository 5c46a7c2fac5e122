import HTTPTypes

/// Files and images of things, and the upload flow they share with copies, avatars, covers
/// and group images: an upload request answers storage fields (`Presenter.uploadForm`), the
/// client POSTs the bytes to `{api}/_uploads` (`UploadReceiver`), and
/// `POST /files/{id}/finalize` turns them into the file or image.
extension APIController {
    /// The `files/...` endpoints of `routes`, each with its handler.
    static let fileRoutes: [APIRoute] = [
        APIRoute(.get, "files/:id") { api, state, call in
            let (thing, file) = try api.visibleFile(state, call)
            return .object(api.presenter.file(file, of: thing))
        },
        // Turns an upload whose bytes have arrived into its file or image; answers what was made. Only the person who
        // started the upload may finish it.
        APIRoute(.post, "files/:id/finalize") { api, state, call throws(APIError) in
            let id = try call.id("id", what: "pending upload")
            guard let position = state.pendingUploads.firstIndex(where: { $0.id == id }) else {
                throw .notFound("No pending upload with id \(id).")
            }
            let upload = state.pendingUploads[position]
            guard upload.ownerID == call.viewerID else { throw .forbidden("Upload \(id) was started by someone else.") }
            guard upload.isUploaded, let stored = state.storedObjects[upload.storageKey] else {
                throw .badRequest(
                    "Nothing has been uploaded for \(id) yet: POST the form to the action URL first.", code: "upload_missing")
            }
            let made = try api.finalize(upload, stored: stored, in: &state, call)
            state.pendingUploads.remove(at: position)
            return .object(made)
        },
        // Redirects to the file's bytes and notes the download in the caller's history (`GET /users/{name}/downloads`).
        APIRoute(.get, "files/:id/download") { api, state, call throws(APIError) in
            let (thing, file) = try api.visibleFile(state, call)
            let id = file.id
            if let index = state.thingIndex(id: thing.id), let position = thing.files.firstIndex(where: { $0.id == id }) {
                state.things[index].files[position].downloadCount += 1
            }
            state.downloads.append(Download(userID: call.viewerID, thingID: thing.id))
            return .redirect(to: api.presenter.storageURL("files/\(id)/\(file.name)"))
        },
    ]

    /// File name endings accepted where the upload becomes a picture.
    static let imageTypes: [String: String] = [
        "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp",
    ]

    /// Registers a pending upload for `purpose` from the body's `filename`; answers the form to upload with.
    func startUpload(
        _ state: inout SimulatorState, _ call: APICall, purpose: UploadPurpose, isImage: Bool
    ) throws(APIError) -> APIReply {
        let fields = try call.bodyFields()
        let filename = try fields.requiredString("filename", what: "An upload")
        let safeName = String(filename.split(separator: "/").last ?? "")
        guard !safeName.isEmpty, safeName != ".", safeName != ".." else {
            throw .badRequest("filename must be a file name, not a path.", code: "invalid_field")
        }
        let ending = safeName.split(separator: ".").count > 1 ? String(safeName.split(separator: ".").last!).lowercased() : ""
        let imageType = Self.imageTypes[ending]
        if isImage && imageType == nil {
            throw .badRequest(
                "An image must be one of \(Self.imageTypes.keys.sorted().joined(separator: ", ")); got \"\(safeName)\".",
                code: "invalid_field")
        }
        let id = state.newID()
        let upload = PendingUpload(
            id: id, purpose: purpose, ownerID: call.viewerID, filename: safeName,
            storageKey: "uploads/\(id)/\(FormEncoding.encodeComponent(safeName))", signature: RandomToken.hex(byteCount: 20),
            added: call.now, isUploaded: false)
        state.pendingUploads.append(upload)
        return .object(presenter.uploadForm(upload, contentType: imageType ?? "application/octet-stream"))
    }

    /// Applies `rank` and `featured` from the body to the image `image_id` of `images`.
    func reordered(_ images: [SimImage], _ call: APICall, owner: String) throws(APIError) -> [SimImage] {
        let imageID = try call.member(of: images, "image_id", what: "image", owner: owner).id
        let position = images.firstIndex { $0.id == imageID }!
        let fields = try call.bodyFields()
        var result = images
        if let rank = try fields.integer("rank") {
            guard rank >= 1 else { throw .badRequest("rank must be 1 or more (1 is first).", code: "invalid_field") }
            let image = result.remove(at: position)
            result.insert(image, at: min(rank - 1, result.count))
        }
        if try fields.bool("featured") == true, let current = result.firstIndex(where: { $0.id == imageID }) {
            result.insert(result.remove(at: current), at: 0)
        }
        return result
    }

    private func finalize(
        _ upload: PendingUpload, stored: StoredObject, in state: inout SimulatorState, _ call: APICall
    ) throws(APIError) -> JSONValue {
        let image = SimImage(id: state.newID(), name: upload.filename, added: call.now, storageKey: upload.storageKey)
        switch upload.purpose {
        case .thingFile(let thingID):
            guard let index = state.thingIndex(id: thingID) else { throw .notFound("Thing \(thingID) no longer exists.") }
            let file = SimFile(
                id: state.newID(), name: upload.filename, size: stored.bytes.count, added: call.now, downloadCount: 0,
                storageKey: upload.storageKey)
            state.things[index].files.append(file)
            state.things[index].modified = call.now
            return presenter.file(file, of: state.things[index])
        case .newCopy(let thingID):
            guard state.thing(id: thingID) != nil else { throw .notFound("Thing \(thingID) no longer exists.") }
            let copy = SimCopy(
                id: state.newID(), thingID: thingID, makerID: upload.ownerID, description: "", added: call.now, images: [image])
            state.copies.append(copy)
            return presenter.copy(copy, in: state, viewerID: call.viewerID)
        case .copyImage(let copyID):
            guard let index = state.copies.firstIndex(where: { $0.id == copyID }) else {
                throw .notFound("Copy \(copyID) no longer exists.")
            }
            state.copies[index].images.append(image)
            return presenter.image(image, url: "\(presenter.api)/copies/\(copyID)/images/\(image.id)")
        case .avatar(let userID), .cover(let userID):
            guard let index = state.users.firstIndex(where: { $0.id == userID }) else { throw .notFound("No user \(userID).") }
            if case .avatar = upload.purpose {
                state.users[index].avatarKey = upload.storageKey
            } else {
                state.users[index].coverKey = upload.storageKey
            }
            return presenter.user(state.users[index], in: state, viewerID: call.viewerID)
        case .groupImage(let groupID):
            guard let index = state.groups.firstIndex(where: { $0.id == groupID }) else {
                throw .notFound("Group \(groupID) no longer exists.")
            }
            state.groups[index].imageKey = upload.storageKey
            state.groups[index].modified = call.now
            return presenter.group(state.groups[index], in: state, viewerID: call.viewerID)
        }
    }

}
