import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Signing in with Thingiverse: the code exchange at `/login/oauth/access_token` (client
/// credentials as form fields, a URL-encoded reply), then tokeninfo, whose audience must be
/// exactly our client id, and `/users/me`, which must be tokeninfo's user.
public struct ThingiverseSignIn: SignInProvider, ThingiverseAccount {
    public var provider: ProviderID { .thingiverse }
    public let clientID: String
    public let authorizeURL: String
    public var extraAuthorizeParameters: [(String, String)] { [] }
    public var supportsTokenFlow: Bool { true }
    let upstream: UpstreamClient
    let tokenEndpoint: OAuth2TokenEndpoint
    let webURL: String
    let apiURL: String

    public init(upstream: UpstreamClient, webURL: String, apiURL: String, clientID: String, clientSecret: Secret) {
        self.upstream = upstream
        self.webURL = webURL
        self.apiURL = apiURL
        self.clientID = clientID
        self.authorizeURL = webURL + "/login/oauth/authorize"
        self.tokenEndpoint = OAuth2TokenEndpoint(
            upstream: upstream, url: webURL + "/login/oauth/access_token", clientID: clientID, clientSecret: clientSecret,
            authentication: .formFields, sendsGrantType: false)
    }

    public func exchange(code: String, redirectURI: String, codeVerifier: String?) async throws -> TokenGrant {
        // Only the token: ThingBridge does not refresh Thingiverse's tokens (their lifetime is not read).
        TokenGrant(accessToken: try await tokenEndpoint.exchange(code: code, redirectURI: redirectURI).accessToken)
    }

    public func account(for token: Secret) async throws -> LinkedAccount {
        let info = try await tokenInfo(token)
        guard info.audience == clientID else { throw SignInError.wrongAudience }
        let profile = try await me(token)
        guard profile.id == info.userID else { throw SignInError.userMismatch }
        return LinkedAccount(
            provider: .thingiverse, id: profile.id, name: profile.name, fullName: profile.fullName, thumbnail: profile.thumbnail, token: token)
    }

    public func tokenInfo(_ token: Secret) async throws -> TokenInfo {
        var request = HTTPClientRequest(url: webURL + "/login/oauth/tokeninfo")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        request.body = .bytes(ByteBuffer(string: FormEncoding.encode([("access_token", token.value)])))
        let answer = try await upstream.data(request)
        guard (200..<300).contains(answer.status) else { throw SignInRefusal.tokenRefused }
        struct Reply: Decodable {
            let audience: LooseString
            let user_id: LooseString
        }
        guard let decoded = try? JSONDecoder().decode(Reply.self, from: Data(answer.body.readableBytesView)) else {
            throw UpstreamError(.badReply("tokeninfo did not describe the token"), provider: upstream.provider)
        }
        return TokenInfo(audience: decoded.audience.value, userID: decoded.user_id.value)
    }

    public func me(_ token: Secret) async throws -> UserProfile {
        var request = HTTPClientRequest(url: apiURL + "/users/me")
        request.headers.add(name: "Authorization", value: "Bearer \(token.value)")
        request.headers.add(name: "Accept", value: "application/json")
        let answer = try await upstream.data(request)
        guard (200..<300).contains(answer.status) else { throw SignInRefusal.tokenRefused }
        guard let profile = try? JSONDecoder().decode(UserProfile.self, from: Data(answer.body.readableBytesView)) else {
            throw UpstreamError(.badReply("the profile was not in the expected shape"), provider: upstream.provider)
        }
        return profile
    }
}
