import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import ThingiverseSimulator
import _CryptoExtras

/// Keys and configurations for the UserEcho simulator; every test builds its own simulator.
enum UserEchoFixture {
    static let baseURL = "http://forum.test"
    static let apiKey = "ue-api-key-4f1c2b7a"
    /// 32 characters, as UserEcho's SSO keys are.
    static let ssoKey = "Kq3vT9xWm2LpZr7Yc4Nb8Hd6Fs1Gj5Ae"
    static let webhookKey = "ue-webhook-key-9d8e"

    static func configuration(
        webhookKey: String? = nil, _ adjust: (inout UserEchoSimulatorConfiguration) -> Void = { _ in }
    ) -> UserEchoSimulatorConfiguration {
        var configuration = UserEchoSimulatorConfiguration(
            baseURL: baseURL, apiKey: apiKey, ssoKey: ssoKey, webhookKey: webhookKey)
        adjust(&configuration)
        return configuration
    }

    static func simulator(
        webhookKey: String? = nil, _ adjust: (inout UserEchoSimulatorConfiguration) -> Void = { _ in }
    ) -> UserEchoSimulator {
        UserEchoSimulator(configuration: configuration(webhookKey: webhookKey, adjust))
    }

    /// An `sso_token` made the way UserEcho's samples make one: the JSON profile encrypted with
    /// AES-256-CBC (PKCS#7) under the key's UTF-8 bytes, a random IV in front, base64.
    /// - Parameters:
    ///   - expires: Unix seconds; an hour from now by default
    ///   - extra: more members for the JSON (e.g. `avatar_url`, `locale`)
    ///   - urlEncoded: whether to percent-encode the base64 (as it goes into a URL)
    static func ssoToken(
        guid: String = "thingiverse:9001", displayName: String = "Dana Sso", email: String? = "dana@example.com",
        expires: Int? = nil, extra: [String: Any] = [:], key: String = ssoKey, urlEncoded: Bool = false
    ) throws -> String {
        var profile: [String: Any] = [
            "guid": guid, "display_name": displayName,
            "expires": expires ?? Int(Date().timeIntervalSince1970) + 3600,
        ]
        if let email { profile["email"] = email }
        profile.merge(extra) { _, new in new }
        let json = try JSONSerialization.data(withJSONObject: profile, options: [.sortedKeys])
        let iv = AES._CBC.IV()
        let ciphertext = try AES._CBC.encrypt(json, using: SymmetricKey(data: Array(key.utf8)), iv: iv)
        let token = (Data(Array(iv)) + ciphertext).base64EncodedString()
        return urlEncoded ? percentEncoded(token) : token
    }

    /// Percent-encodes everything outside the unreserved characters (so `+`, `/`, `=` survive a query).
    static func percentEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed)!
    }

    /// `hex(HMAC-SHA1(key, body))`, computed independently of the simulator.
    static func signature(_ body: [UInt8], key: String = webhookKey) -> String {
        HMAC<Insecure.SHA1>.authenticationCode(for: body, using: SymmetricKey(data: Array(key.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }
}

/// Mounts `simulator` at `prefix` in a fresh router and runs `test` against it through
/// HummingbirdTesting's in-process router client.
func withUserEchoRouter<Value: Sendable>(
    _ simulator: UserEchoSimulator,
    prefix: String = "",
    _ test: @Sendable (any TestClientProtocol) async throws -> Value
) async throws -> Value {
    try await withRoutes(simulator.routes(context: BasicRequestContext.self, prefix: prefix), test)
}

extension TestClientProtocol {
    /// Calls `/api/v2/COMMAND.json` with the fixture's key in `access_token` (or no key for
    /// `key: nil`). `query` is appended as it is (already encoded); `form` and `json` set the body.
    func userEcho(
        _ command: String, method: HTTPRequest.Method = .get, query: String = "", key: String? = UserEchoFixture.apiKey,
        form: [(String, String)]? = nil, json: String? = nil, headers: HTTPFields = [:], prefix: String = ""
    ) async throws -> TestResponse {
        var parts: [String] = []
        if let key { parts.append("access_token=\(UserEchoFixture.percentEncoded(key))") }
        if !query.isEmpty { parts.append(query) }
        let uri = "\(prefix)/api/v2/\(command).json" + (parts.isEmpty ? "" : "?" + parts.joined(separator: "&"))
        var fields = headers
        var body: ByteBuffer?
        if let form {
            let request = formRequest(form)
            fields[.contentType] = "application/x-www-form-urlencoded"
            body = request.body
        } else if let json {
            fields[.contentType] = "application/json"
            body = ByteBuffer(string: json)
        }
        return try await execute(uri: uri, method: method, headers: fields, body: body)
    }
}

extension TestResponse {
    /// `data` of a `{"status":"success","data":{...}}` reply (fails the test otherwise).
    func userEchoObject(sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let reply = try jsonObject(sourceLocation: sourceLocation)
        #expect(reply["status"] as? String == "success", "reply: \(text)", sourceLocation: sourceLocation)
        return try #require(reply["data"] as? [String: Any], "expected an object in data: \(text)", sourceLocation: sourceLocation)
    }

    /// `data` of a success reply that holds a list.
    func userEchoList(sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
        let reply = try jsonObject(sourceLocation: sourceLocation)
        #expect(reply["status"] as? String == "success", "reply: \(text)", sourceLocation: sourceLocation)
        return try #require(reply["data"] as? [[String: Any]], "expected a list in data: \(text)", sourceLocation: sourceLocation)
    }

    /// `message` of an `{"status":"error","message":...}` reply.
    func userEchoError(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let reply = try jsonObject(sourceLocation: sourceLocation)
        #expect(reply["status"] as? String == "error", "reply: \(text)", sourceLocation: sourceLocation)
        return try #require(reply["message"] as? String, sourceLocation: sourceLocation)
    }
}

/// A live receiver for hooks: remembers each body with its `X-UE-Signature` and answers 200.
actor UserEchoHookReceiver {
    struct Delivery: Sendable {
        var body: [UInt8]
        var signature: String?
        var contentType: String?
    }

    private(set) var deliveries: [Delivery] = []

    func record(_ delivery: Delivery) {
        deliveries.append(delivery)
    }

    /// Runs a receiver on a free port and hands `test` its URL.
    static func run(_ test: @Sendable (_ url: String, _ receiver: UserEchoHookReceiver) async throws -> Void) async throws {
        let receiver = UserEchoHookReceiver()
        let router = Router()
        router.post("/hooks/userecho") { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            await receiver.record(
                Delivery(
                    body: Array(body.readableBytesView), signature: request.headers[HTTPField.Name("X-UE-Signature")!],
                    contentType: request.headers[.contentType]))
            return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: "{\"ok\":true}")))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            try await test("http://127.0.0.1:\(port)/hooks/userecho", receiver)
        }
    }
}

/// Ids of the objects in a list, in order.
func userEchoIDs(_ list: [[String: Any]]) -> [Int] {
    list.compactMap { $0["id"] as? Int }
}
