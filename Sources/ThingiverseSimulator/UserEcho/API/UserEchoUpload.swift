/// The file in an upload request: the first part with a `filename` of a `multipart/form-data`
/// body (read by the shared `MultipartForm`), or else the whole body (named by a `name` or
/// `filename` parameter).
struct UserEchoUpload: Sendable {
    var name: String
    var contentType: String
    var bytes: [UInt8]

    /// Whether the file is a picture, by its content type or its name.
    var isImage: Bool {
        let lowered = name.lowercased()
        return contentType.lowercased().hasPrefix("image/")
            || [".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"].contains { lowered.hasSuffix($0) }
    }
}

extension UserEchoUpload {
    /// `nil` when the request carries no file bytes.
    init?(input: RequestInput, fields: UserEchoFields) {
        if input.contentType.hasPrefix("multipart/form-data") {
            guard let part = Self.filePart(input) else { return nil }
            self = part
        } else {
            guard !input.body.isEmpty else { return nil }
            let name = (try? fields.string("filename")) ?? (try? fields.string("name"))
            self.init(
                name: name ?? "upload", contentType: input.contentType.isEmpty ? "application/octet-stream" : input.contentType,
                bytes: input.body)
        }
        guard !bytes.isEmpty else { return nil }
    }

    /// The first part of a `multipart/form-data` body that has a `filename`.
    private static func filePart(_ input: RequestInput) -> UserEchoUpload? {
        // The content type reaches us lowercased; the body's first line has the boundary's real case.
        let firstLine = String(decoding: input.body.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self)
        let boundary = MultipartForm.parameter("boundary", in: input.contentType) ?? ""
        let realCase = firstLine.lowercased() == "--\(boundary)" ? String(firstLine.dropFirst(2)) : boundary
        let form = MultipartForm(body: input.body, contentType: "multipart/form-data; boundary=\"\(realCase)\"")
        guard let part = form?.parts.first(where: { $0.filename != nil }), let name = part.filename else { return nil }
        return UserEchoUpload(
            name: name.isEmpty ? "upload" : name, contentType: part.contentType ?? "application/octet-stream", bytes: part.bytes)
    }
}
