/// `forums/{id}/upload/file` and `forums/{id}/upload/image` (admins only): keeps the file in
/// memory and answers where it can be fetched.
extension UserEchoAPIController {
    func upload(_ state: inout UserEchoState, _ call: UserEchoAPICall) throws -> JSONValue {
        let forum = try Self.existingForum(call, in: state)
        let kind = call.captures["kind"] ?? ""
        guard kind == "file" || kind == "image" else {
            throw UserEchoAPIError.notFound("Unknown API command \"forums/\(forum.id)/upload/\(kind)\".")
        }
        guard let upload = UserEchoUpload(input: call.input, fields: call.fields) else {
            throw UserEchoAPIError.badRequest("No file was sent; post it as multipart/form-data.")
        }
        guard kind == "file" || upload.isImage else {
            throw UserEchoAPIError.badRequest("\(upload.name) is not an image.")
        }
        let file = UserEchoFile(id: state.newID(.file), forumID: forum.id, upload: upload, created: call.now)
        state.files.append(file)
        return presenter.file(file)
    }
}
