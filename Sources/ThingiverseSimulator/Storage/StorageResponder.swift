import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// Serves `{api}/_storage/...`, where download redirects and uploaded pictures point, like
/// Thingiverse's CDN: no token, rate limit or fault applies.
/// - `files/{id}/{name}`: a thing's file (uploaded bytes, or a generated STL for seeded files)
/// - `packages/{thing_id}.zip`: all files of a thing in one ZIP (`package-url`)
/// - `uploads/{upload_id}/{name}`: bytes that arrived at `_uploads`
struct StorageResponder: Sendable {
    let simulator: ThingiverseSimulator

    func respond(method: HTTPRequest.Method, segments: [String]) -> Response {
        guard method == .get || method == .head else {
            return .jsonError(.methodNotAllowed, code: "method_not_allowed", message: "Stored files are fetched with GET.")
        }
        let found: StoredObject? = simulator.state.withLock { state in
            switch (segments.first, segments.count) {
            case ("files", 3):
                guard let id = Int(segments[1]), let (_, file) = state.file(id: id) else { return nil }
                return state.content(of: file)
            case ("packages", 2):
                guard segments[1].hasSuffix(".zip"), let id = Int(segments[1].dropLast(4)), let thing = state.thing(id: id)
                else { return nil }
                let entries = thing.files.compactMap { file in state.content(of: file).map { (file.name, $0.bytes) } }
                return StoredObject(bytes: ZipArchive.make(entries), contentType: "application/zip")
            case ("uploads", _):
                return state.storedObjects[segments.joined(separator: "/")]
            default:
                return nil
            }
        }
        guard let found else {
            return .jsonError(.notFound, code: "not_found", message: "Nothing is stored at this address.")
        }
        var headers = HTTPFields()
        headers[.contentType] = found.contentType
        headers[.cacheControl] = "private, max-age=3600"
        if let name = segments.last, segments.first != "uploads" {
            headers[.contentDisposition] = "attachment; filename=\"\(name)\""
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: found.bytes)))
    }
}

extension SimulatorState {
    /// The bytes of a file: what was uploaded, or a generated STL for a seeded file.
    func content(of file: SimFile) -> StoredObject? {
        if let key = file.storageKey {
            return storedObjects[key]
        }
        let stem = file.name.hasSuffix(".stl") ? String(file.name.dropLast(4)) : file.name
        return StoredObject(bytes: GeneratedModel.stl(name: stem), contentType: "model/stl")
    }
}
