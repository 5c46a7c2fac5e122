import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// ``ThingiverseAccount`` over HTTP, with the app's client credentials.
public struct ThingiverseAccountClient: ThingiverseAccount {
    let call: UpstreamCall
    let webURL: String
    let apiURL: String
    let clientID: String
    let clientSecret: Secret

    public init(httpClient: HTTPClient, webURL: String, apiURL: String, clientID: String, clientSecret: Secret, timeout: Duration) {
        self.call = UpstreamCall(client: httpClient, timeout: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000))
        self.webURL = webURL
        self.apiURL = apiURL
        self.clientID = clientID
        self.clientSecret = clientSecret
    }

    public func exchange(code: String, redirectURI: String) async throws -> Secret {
        let reply = try await postForm(
            "/login/oauth/access_token",
            [("client_id", clientID), ("client_secret", clientSecret.value), ("code", code), ("redirect_uri", redirectURI)]
        )
        let text = String(buffer: reply.body)
        // The documented reply is form-encoded; accept JSON too.
        let fields: [String: String]
        if reply.contentType.contains("json") || text.hasPrefix("{") {
            struct JSONReply: Decodable {
                let access_token: String?
                let error: String?
            }
            let decoded = try? JSONDecoder().decode(JSONReply.self, from: Data(text.utf8))
            fields = ["access_token": decoded?.access_token, "error": decoded?.error].compactMapValues { $0 }
        } else {
            fields = FormEncoding.decode(text)
        }
        guard (200..<300).contains(reply.status), fields["error"] == nil,
            let token = fields["access_token"], !token.isEmpty
        else {
            throw SignInRefusal.codeRefused
        }
        return Secret(token)
    }

    public func tokenInfo(_ token: Secret) async throws -> TokenInfo {
        let reply = try await postForm("/login/oauth/tokeninfo", [("access_token", token.value)])
        guard (200..<300).contains(reply.status) else { throw SignInRefusal.tokenRefused }
        struct Reply: Decodable {
            let audience: LooseString
            let user_id: LooseString
        }
        guard let decoded = try? JSONDecoder().decode(Reply.self, from: Data(reply.body.readableBytesView)) else {
            throw UpstreamError.badReply("tokeninfo did not describe the token")
        }
        return TokenInfo(audience: decoded.audience.value, userID: decoded.user_id.value)
    }

    public func me(_ token: Secret) async throws -> UserProfile {
        var request = HTTPClientRequest(url: apiURL + "/users/me")
        request.headers.add(name: "Authorization", value: "Bearer \(token.value)")
        request.headers.add(name: "Accept", value: "application/json")
        let reply = try await checked(call.send(request))
        guard (200..<300).contains(reply.status) else { throw SignInRefusal.tokenRefused }
        guard let profile = try? JSONDecoder().decode(UserProfile.self, from: Data(reply.body.readableBytesView)) else {
            throw UpstreamError.badReply("the profile was not in the expected shape")
        }
        return profile
    }

    private func postForm(_ path: String, _ fields: [(String, String)]) async throws -> UpstreamCall.Reply {
        var request = HTTPClientRequest(url: webURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/x-www-form-urlencoded, application/json")
        request.body = .bytes(ByteBuffer(string: FormEncoding.encode(fields)))
        return try checked(await call.send(request))
    }

    /// HTML pages and 5xx are Thingiverse's trouble, not a refusal of this sign-in.
    private func checked(_ reply: UpstreamCall.Reply) throws -> UpstreamCall.Reply {
        if reply.status >= 500 { throw UpstreamError.serverError(status: reply.status) }
        if reply.isHTML { throw UpstreamError.notAPI(status: reply.status) }
        return reply
    }
}
