import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A provider's token endpoint (`grant_type=authorization_code`), the one part of the code
/// flow whose details differ between providers: how the client proves who it is.
struct OAuth2TokenEndpoint: Sendable {
    enum ClientAuthentication: Sendable {
        /// `client_id` and `client_secret` as form fields (Thingiverse's documented way).
        case formFields
        /// `Authorization: Basic` (RFC 6749 2.3.1; Flattr): the secret never travels in the body.
        case httpBasic
    }

    let upstream: UpstreamClient
    let url: String
    let clientID: String
    let clientSecret: Secret
    let authentication: ClientAuthentication
    /// Whether `grant_type=authorization_code` is sent (Thingiverse documents no grant type).
    let sendsGrantType: Bool

    func exchange(code: String, redirectURI: String) async throws -> Secret {
        var fields: [(String, String)] = sendsGrantType ? [("grant_type", "authorization_code")] : []
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        switch authentication {
        case .formFields:
            fields += [("client_id", clientID), ("client_secret", clientSecret.value)]
        case .httpBasic:
            let credentials = FormEncoding.escape(clientID) + ":" + FormEncoding.escape(clientSecret.value)
            request.headers.add(name: "Authorization", value: "Basic " + Data(credentials.utf8).base64EncodedString())
        }
        fields += [("code", code), ("redirect_uri", redirectURI)]
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json, application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: FormEncoding.encode(fields)))

        let answer = try await upstream.data(request)
        let reply = TokenReply(body: answer.body)
        guard (200..<300).contains(answer.status), reply.error == nil, let token = reply.accessToken else {
            throw SignInRefusal.codeRefused
        }
        return token
    }
}

/// A token endpoint's reply, read from its body whatever its `Content-Type` says: a JSON
/// object, or the URL-encoded form that Thingiverse serves as `text/html`.
struct TokenReply: Sendable, Equatable {
    var accessToken: Secret?
    var error: String?

    init(body: ByteBuffer) {
        let fields: [String: String]
        let text = String(buffer: body).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("{") {
            fields = Self.stringMembers(of: text)
        } else {
            fields = FormEncoding.decode(text)
        }
        let token = fields["access_token"].map { $0.trimmingCharacters(in: .whitespaces) }
        // A token is a short printable word; anything else is not one we would send in a header.
        if let token, (1...512).contains(token.utf8.count), token.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
            accessToken = Secret(token)
        }
        error = fields["error"].flatMap { $0.isEmpty ? nil : $0 }
    }

    private static func stringMembers(of text: String) -> [String: String] {
        guard case .object(let members)? = try? JSONParser.parse(Array(text.utf8)) else { return [:] }
        return members.compactMapValues { value in
            if case .string(let string) = value { return string }
            return nil
        }
    }
}
