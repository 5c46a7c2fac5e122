import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization

/// A stand-in for api.thingiverse.com that records every request it gets and answers in the
/// ways the proxy must handle: JSON with headers, a `Set-Cookie`, a redirect, a 429, an HTML page.
final class RecordingUpstream: Sendable {
    struct Seen: Sendable {
        let method: String
        let path: String
        let query: String?
        let headers: HTTPFields
        let body: String
    }

    private let seen = Mutex<[Seen]>([])

    var requests: [Seen] { seen.withLock { $0 } }

    /// Forgets what was seen so far (e.g. the sign-in's own `/users/me`).
    func forget() {
        seen.withLock { $0.removeAll() }
    }

    /// Runs `body` with the upstream listening; its base URL is passed in.
    func run<Value: Sendable>(_ body: @Sendable (String) async throws -> Value) async throws -> Value {
        let router = Router()
        for method in [HTTPRequest.Method.get, .post, .patch, .put, .delete] {
            router.on("**", method: method) { request, _ in
                try await self.answer(request)
            }
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: Logger(label: "upstream"))
        return try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(client.port!)")
        }
    }

    private func answer(_ request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: 2 * 1024 * 1024)
        seen.withLock {
            $0.append(
                Seen(
                    method: request.method.rawValue, path: request.uri.path, query: request.uri.query, headers: request.headers,
                    body: String(buffer: body)))
        }
        switch request.uri.path {
        case "/users/me":
            // Sign-in asks who the token belongs to: the simulator's alice_prints.
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"id":244,"name":"alice_prints"}"#)))
        case "/api/v2/users/current.json", "/api/v2/users/sso/thingiverse:244.json", "/api/v2/users/sso/thingiverse%3A244.json":
            // UserEcho: the person the sso_token names.
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"status":"success","data":{"id":17,"name":"Alice Printwell"}}"#)))
        case "/user":
            // Flattr's sign-in asks who the token belongs to.
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"type":"user","username":"alice_flattrs"}"#)))
        case "/things/lookup", "/things/lookup/":
            // Flattr answers a lookup with a redirect to the API's own URL of the thing.
            return Response(
                status: .found, headers: [.location: "http://\(request.head.authority ?? "")/things/423405", .contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"message":"found"}"#)))
        case "/files/5/download":
            return Response(status: .found, headers: [.location: "https://cdn.example.com/file.stl?signature=abc"])
        case "/things/429":
            return Response(
                status: .tooManyRequests, headers: [.retryAfter: "30", .contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"error":"slow down"}"#)))
        case "/things/403":
            return Response(
                status: .forbidden, headers: [.contentType: "text/html"],
                body: .init(byteBuffer: ByteBuffer(string: "<html><title>Just a moment...</title></html>")))
        case "/things/500":
            return Response(
                status: .internalServerError, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"error":"boom"}"#)))
        default:
            return Response(
                status: .ok,
                headers: [
                    .contentType: "application/json", .setCookie: "upstream_session=leak; Path=/", HTTPField.Name("X-RateLimit-Remaining")!: "299",
                    .eTag: "\"v1\"", HTTPField.Name("X-Internal-Debug")!: "hidden",
                    .accessControlAllowOrigin: "*", .accessControlAllowCredentials: "true",
                ],
                body: .init(byteBuffer: ByteBuffer(string: #"{"path":"\#(request.uri.path)"}"#))
            )
        }
    }
}
