import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Signing in with Flattr: the code flow with `scope`, the token request authenticated with
/// HTTP Basic and answered in JSON, and the account from `GET /user` (Flattr has no tokeninfo).
///
/// Flattr closed in 2024; this profile is also the template for any standard OAuth2 provider.
public struct FlattrSignIn: SignInProvider {
    public var provider: ProviderID { .flattr }
    public let clientID: String
    public let authorizeURL: String
    public let extraAuthorizeParameters: [(String, String)]
    public var supportsTokenFlow: Bool { false }
    let upstream: UpstreamClient
    let tokenEndpoint: OAuth2TokenEndpoint
    let apiURL: String

    public init(upstream: UpstreamClient, webURL: String, apiURL: String, clientID: String, clientSecret: Secret, scopes: [String]) {
        self.upstream = upstream
        self.apiURL = apiURL
        self.clientID = clientID
        self.authorizeURL = webURL + "/oauth/authorize"
        self.extraAuthorizeParameters = [("scope", scopes.joined(separator: " "))]
        self.tokenEndpoint = OAuth2TokenEndpoint(
            upstream: upstream, url: webURL + "/oauth/token", clientID: clientID, clientSecret: clientSecret,
            authentication: .httpBasic, sendsGrantType: true)
    }

    public func exchange(code: String, redirectURI: String, codeVerifier: String?) async throws -> TokenGrant {
        // Only the token: ThingBridge does not refresh Flattr's tokens (their lifetime is not read).
        TokenGrant(accessToken: try await tokenEndpoint.exchange(code: code, redirectURI: redirectURI).accessToken)
    }

    public func account(for token: Secret) async throws -> LinkedAccount {
        var request = HTTPClientRequest(url: apiURL + "/user")
        request.headers.add(name: "Authorization", value: "Bearer \(token.value)")
        request.headers.add(name: "Accept", value: "application/json")
        let answer = try await upstream.data(request)
        guard (200..<300).contains(answer.status) else { throw SignInRefusal.tokenRefused }
        struct User: Decodable {
            let username: String
            let firstname: String?
            let lastname: String?
            let avatar: String?
        }
        guard let user = try? JSONDecoder().decode(User.self, from: Data(answer.body.readableBytesView)), !user.username.isEmpty else {
            throw UpstreamError(.badReply("the user was not in the expected shape"), provider: upstream.provider)
        }
        let fullName = [user.firstname, user.lastname].compactMap { $0?.isEmpty == false ? $0 : nil }.joined(separator: " ")
        return LinkedAccount(
            provider: .flattr, id: user.username, name: user.username, fullName: fullName.isEmpty ? nil : fullName,
            thumbnail: user.avatar?.isEmpty == false ? user.avatar : nil, token: token)
    }
}
