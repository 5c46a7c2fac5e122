import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Signing in with a configured provider: the authorization code flow with `scope` and PKCE,
/// the token endpoint as configured, and the account from the user-info endpoint's JSON (the id
/// and name at their configured dotted paths).
public struct ConfiguredSignIn: SignInProvider {
    public let provider: ProviderID
    public let clientID: String
    public let authorizeURL: String
    public let extraAuthorizeParameters: [(String, String)]
    public var supportsTokenFlow: Bool { false }
    public let usesPKCE: Bool
    let upstream: UpstreamClient
    let tokenEndpoint: OAuth2TokenEndpoint
    let userinfoURL: String
    let userIDPath: [String]
    let userNamePath: [String]
    let fullNamePaths: [[String]]
    let avatarPath: [String]?

    init(settings: ConfiguredProviderSettings, upstream: UpstreamClient) {
        self.provider = settings.id
        self.clientID = settings.clientID
        self.authorizeURL = settings.authorizeURL
        self.extraAuthorizeParameters = settings.scopes.isEmpty ? [] : [("scope", settings.scopes.joined(separator: " "))]
        self.usesPKCE = settings.pkce
        self.upstream = upstream
        self.tokenEndpoint = OAuth2TokenEndpoint(
            upstream: upstream, url: settings.tokenURL, clientID: settings.clientID, clientSecret: settings.clientSecret,
            authentication: settings.clientAuthentication == .basic ? .httpBasic : .formFields, sendsGrantType: true)
        self.userinfoURL = settings.userinfoURL
        self.userIDPath = settings.userIDField.split(separator: ".").map(String.init)
        self.userNamePath = settings.userNameField.split(separator: ".").map(String.init)
        self.fullNamePaths = settings.userFullNameFields.map { $0.split(separator: ".").map(String.init) }
        self.avatarPath = settings.userAvatarField.map { $0.split(separator: ".").map(String.init) }
    }

    public func exchange(code: String, redirectURI: String, codeVerifier: String?) async throws -> TokenGrant {
        try await tokenEndpoint.exchange(code: code, redirectURI: redirectURI, codeVerifier: codeVerifier)
    }

    public func account(for token: Secret) async throws -> LinkedAccount {
        var request = HTTPClientRequest(url: userinfoURL)
        request.headers.add(name: "Authorization", value: "Bearer \(token.value)")
        request.headers.add(name: "Accept", value: "application/json")
        let answer = try await upstream.data(request, bodyLimit: 256 * 1024)
        guard (200..<300).contains(answer.status) else { throw SignInRefusal.tokenRefused }
        guard let user = try? JSONParser.parse(answer.body.readableBytesView), let id = Self.scalar(at: userIDPath, in: user), !id.isEmpty
        else {
            throw UpstreamError(.badReply("the user-info reply had no account id at the configured field"), provider: upstream.provider)
        }
        let name = Self.scalar(at: userNamePath, in: user).flatMap { $0.isEmpty ? nil : $0 } ?? id
        let fullName = fullNamePaths.compactMap { Self.scalar(at: $0, in: user) }.filter { !$0.isEmpty }.joined(separator: " ")
        let avatar = avatarPath.flatMap { Self.scalar(at: $0, in: user) }
        return LinkedAccount(
            provider: provider, id: id, name: name, fullName: fullName.isEmpty ? nil : fullName, thumbnail: avatar?.isEmpty == false ? avatar : nil,
            token: token)
    }

    /// The string or number at a dotted path, as text.
    static func scalar(at path: [String], in value: JSONValue) -> String? {
        var current = value
        for key in path {
            guard let next = current[key] else { return nil }
            current = next
        }
        switch current {
        case .string(let text): return text
        case .number(let text): return text
        default: return nil
        }
    }
}
