import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// What a token endpoint granted: the access token and, when the provider issues expiring
/// tokens, its lifetime and the refresh token that renews it.
public struct TokenGrant: Sendable, Equatable {
    public var accessToken: Secret
    public var refreshToken: Secret?
    /// Seconds the token lives (`expires_in`), when the reply says.
    public var expiresIn: Int64?
    /// Whether this grant came from `grant_type=refresh_token` (a reply without a new refresh
    /// token keeps the old one).
    public var isRefresh: Bool = false

    public init(accessToken: Secret, refreshToken: Secret? = nil, expiresIn: Int64? = nil) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.expiresIn = expiresIn
    }
}

/// A provider's token endpoint: `grant_type=authorization_code` (with the PKCE verifier when
/// the sign-in sent a challenge) and `grant_type=refresh_token`. What differs between
/// providers is how the client proves who it is and whether the grant type is sent at all.
struct OAuth2TokenEndpoint: Sendable {
    enum ClientAuthentication: Sendable {
        /// `client_id` and `client_secret` as form fields (Thingiverse's documented way; `post`).
        case formFields
        /// `Authorization: Basic` (RFC 6749 2.3.1; Flattr, `basic`): the secret never travels in the body.
        case httpBasic
    }

    let upstream: UpstreamClient
    let url: String
    let clientID: String
    let clientSecret: Secret
    let authentication: ClientAuthentication
    /// Whether `grant_type=authorization_code` is sent (Thingiverse documents no grant type).
    let sendsGrantType: Bool

    /// Exchanges an authorization code for a grant.
    /// - Throws: ``SignInRefusal/codeRefused``, ``UpstreamError``.
    func exchange(code: String, redirectURI: String, codeVerifier: String? = nil) async throws -> TokenGrant {
        var fields: [(String, String)] = sendsGrantType ? [("grant_type", "authorization_code")] : []
        fields += [("code", code), ("redirect_uri", redirectURI)]
        if let codeVerifier { fields.append(("code_verifier", codeVerifier)) }
        guard let grant = try await request(fields) else { throw SignInRefusal.codeRefused }
        return grant
    }

    /// Renews a token with its refresh token (the newest one: a provider may rotate them).
    /// - Throws: ``SignInRefusal/tokenRefused`` when the provider refuses it, ``UpstreamError``.
    func refresh(_ refreshToken: Secret) async throws -> TokenGrant {
        guard var grant = try await request([("grant_type", "refresh_token"), ("refresh_token", refreshToken.value)]) else {
            throw SignInRefusal.tokenRefused
        }
        grant.isRefresh = true
        return grant
    }

    /// Posts `fields` with the client's credentials; nil when the provider refused them.
    private func request(_ fields: [(String, String)]) async throws -> TokenGrant? {
        var fields = fields
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        switch authentication {
        case .formFields:
            fields += [("client_id", clientID), ("client_secret", clientSecret.value)]
        case .httpBasic:
            let credentials = FormEncoding.escape(clientID) + ":" + FormEncoding.escape(clientSecret.value)
            request.headers.add(name: "Authorization", value: "Basic " + Data(credentials.utf8).base64EncodedString())
        }
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json, application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: FormEncoding.encode(fields)))

        let answer = try await upstream.data(request)
        let reply = TokenReply(body: answer.body)
        guard (200..<300).contains(answer.status), reply.error == nil, let token = reply.accessToken else { return nil }
        return TokenGrant(accessToken: token, refreshToken: reply.refreshToken, expiresIn: reply.expiresIn)
    }
}

/// A token endpoint's reply, read from its body whatever its `Content-Type` says: a JSON
/// object, or the URL-encoded form that Thingiverse serves as `text/html`.
struct TokenReply: Sendable, Equatable {
    var accessToken: Secret?
    var refreshToken: Secret?
    /// `expires_in`, a number or a numeric string, from 1 s to a year.
    var expiresIn: Int64?
    var error: String?

    init(body: ByteBuffer) {
        let fields: [String: String]
        let text = String(buffer: body).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("{") {
            fields = Self.scalarMembers(of: text)
        } else {
            fields = FormEncoding.decode(text)
        }
        accessToken = Self.token(fields["access_token"])
        refreshToken = Self.token(fields["refresh_token"])
        expiresIn = fields["expires_in"].flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) }.flatMap {
            (1...31_536_000).contains($0) ? $0 : nil
        }
        error = fields["error"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A token is a short printable word; anything else is not one we would send in a header.
    private static func token(_ text: String?) -> Secret? {
        guard let token = text?.trimmingCharacters(in: .whitespaces), (1...512).contains(token.utf8.count),
            token.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        else { return nil }
        return Secret(token)
    }

    /// The object's string members, and its whole-number members as text (`expires_in`).
    private static func scalarMembers(of text: String) -> [String: String] {
        guard case .object(let members)? = try? JSONParser.parse(Array(text.utf8)) else { return [:] }
        return members.compactMapValues { value in
            switch value {
            case .string(let string): string
            case .number(let number) where number.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }): number
            default: nil
            }
        }
    }
}
