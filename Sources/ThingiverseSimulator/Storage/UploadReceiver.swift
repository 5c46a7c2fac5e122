import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// `POST {api}/_uploads`: the simulator's stand-in for the S3 bucket that Thingiverse's upload
/// answers point at. It takes the `multipart/form-data` form built from those `fields` (with
/// the file last), checks `key` and `signature` against the pending upload, keeps the bytes
/// and answers `303 See Other` to `success_action_redirect`, as S3 does. No token applies:
/// the signature is the permission. The file then appears with `POST /files/{id}/finalize`.
struct UploadReceiver: Sendable {
    let simulator: ThingiverseSimulator

    func receive(request: Request, context: some RequestContext) async throws -> Response {
        guard request.method == .post else {
            return .jsonError(.methodNotAllowed, code: "method_not_allowed", message: "Uploads are sent with POST.")
        }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: context.maxUploadSize)
        } catch {
            return .jsonError(
                .contentTooLarge, code: "entity_too_large",
                message: "The upload is larger than this server accepts (\(context.maxUploadSize) bytes).")
        }
        let contentType = request.headers[.contentType] ?? ""
        guard let form = MultipartForm(body: Array(buffer.readableBytesView), contentType: contentType) else {
            return .jsonError(
                .badRequest, code: "malformed_post_request",
                message: "Send the upload as multipart/form-data with the fields from the upload answer, then the file.")
        }
        guard let key = form.field("key"), let signature = form.field("signature") else {
            return .jsonError(.badRequest, code: "missing_field", message: "The form needs the key and signature fields.")
        }
        guard let file = form.parts.first(where: { $0.name == "file" }) else {
            return .jsonError(.badRequest, code: "missing_file", message: "The form has no part named file.")
        }
        do {
            let path = try simulator.state.withLock { state throws(APIError) -> String in
                guard let index = state.pendingUploads.firstIndex(where: { $0.storageKey == key }) else {
                    throw .forbidden("No upload is waiting under the key \"\(key)\".")
                }
                guard state.pendingUploads[index].signature == signature else {
                    throw .forbidden("The signature does not match this upload's policy.")
                }
                let type = form.field("Content-Type") ?? file.contentType ?? "application/octet-stream"
                state.storedObjects[key] = StoredObject(bytes: file.bytes, contentType: type)
                state.pendingUploads[index].isUploaded = true
                return state.pendingUploads[index].finalizePath
            }
            var headers = HTTPFields()
            headers[.location] = form.field("success_action_redirect") ?? simulator.configuration.api + path
            return Response(status: .seeOther, headers: headers)
        } catch {
            return .json(error.json, status: error.status)
        }
    }
}

extension PendingUpload {
    /// The API path that turns the uploaded bytes into a file or an image.
    var finalizePath: String { "/files/\(id)/finalize" }
}
