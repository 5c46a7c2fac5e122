// OAuth2ProviderSimulator: any standard OAuth2 provider (RFC 6749 code flow, RFC 7636 PKCE,
// refresh tokens that expire and rotate) with a small JSON API, on the simulator kit (Kit/).
// Routes and choices: ../README.md.

import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// A simulated standard OAuth2 provider with expiring, rotating tokens and a small API.
public final class OAuth2ProviderSimulator: ControlledSimulator {
    /// How the token endpoint writes its reply.
    public enum TokenReplyStyle: String, Sendable {
        case json
        /// `access_token=...&...` labelled `text/html`, as some PHP sites answer.
        case formAsHTML
    }

    public struct Configuration: Sendable {
        public var name: String
        public var clientID: String
        public var clientSecret: String
        public var redirectURI: String
        /// Seconds an access token lives (`expires_in`).
        public var tokenLifetime: Int
        public var issuesRefreshTokens: Bool
        public var rotatesRefreshTokens: Bool
        public var requiresPKCE: Bool
        public var tokenReplyStyle: TokenReplyStyle

        public init(
            name: String = "Example OAuth2", clientID: String, clientSecret: String, redirectURI: String, tokenLifetime: Int = 3600,
            issuesRefreshTokens: Bool = true, rotatesRefreshTokens: Bool = true, requiresPKCE: Bool = true, tokenReplyStyle: TokenReplyStyle = .json
        ) {
            self.name = name
            self.clientID = clientID
            self.clientSecret = clientSecret
            self.redirectURI = redirectURI
            self.tokenLifetime = tokenLifetime
            self.issuesRefreshTokens = issuesRefreshTokens
            self.rotatesRefreshTokens = rotatesRefreshTokens
            self.requiresPKCE = requiresPKCE
            self.tokenReplyStyle = tokenReplyStyle
        }
    }

    /// A seeded person.
    public struct User: Sendable {
        public let id: Int
        public let login: String
        public let name: String
    }

    /// What an authorization code stands for.
    struct Grant: Sendable {
        let user: String
        let redirectURI: String
        let challenge: String?
        let scope: String
    }

    struct State {
        var codes = AuthorizationCodes<Grant>()
        /// Access tokens by value: whose they are, for which scope, until when.
        var tokens: [String: (user: String, scope: String, expiresAt: Date)] = [:]
        /// Refresh tokens still usable, by value: the user and scope they renew.
        var refreshTokens: [String: (user: String, scope: String)] = [:]
        var refusesRefresh = false
        var refreshCount = 0
        /// Every access and refresh token issued, for tests that look for leaks.
        var issued: [String] = []
        var items: [(id: Int, owner: String, title: String)] = [
            (101, "alice_oauth", "First sketch"), (102, "alice_oauth", "Second sketch"), (201, "bob_oauth", "Bob's note"),
        ]
    }

    public static let users = [
        User(id: 7001, login: "alice_oauth", name: "Alice Example"),
        User(id: 7002, login: "bob_oauth", name: "Bob Example"),
    ]

    /// The API's endpoints as an app's allow-list would name them (`GET /admin/keys` left out).
    public static let allowList = ["GET /me", "GET /items", "GET /items/{id}", "POST /items", "GET /users/{name}"]

    public let configuration: Configuration
    private let state = Mutex(State())
    /// The request log of its authorization page and fault switches (see ``ControlledSimulator``).
    public let controls = SimulatorControls(host: "oauth2.example")

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// From now on, refresh requests are refused (`invalid_grant`), as after a revoked consent.
    public func refuseRefreshes(_ refuse: Bool = true) {
        state.withLock { $0.refusesRefresh = refuse }
    }

    /// Refresh grants answered with a new token.
    public var refreshCount: Int { state.withLock { $0.refreshCount } }
    /// Every access and refresh token this simulator issued.
    public var issuedTokens: [String] { state.withLock { $0.issued } }

    /// The routes below `prefix` (e.g. `/sim/oauth2`).
    public func routes<Context: RequestContext>(context: Context.Type = Context.self, prefix: String) -> RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        OAuth2AuthorizationScreen(simulator: self, prefix: prefix).addAuthorizeRoutes(to: routes, path: prefix + "/authorize")
        /// The kit's steps (log, faults), then `answer`.
        func serve(_ answer: @escaping @Sendable (Request) async throws -> Response) -> @Sendable (Request, Context) async throws -> Response {
            { request, _ in
                if let fault = try await self.fault(afterLogging: request, prefix: prefix) { return fault }
                return try await answer(request)
            }
        }
        routes.post(RouterPath(prefix + "/token"), use: serve(token))
        routes.get(RouterPath(prefix + "/userinfo"), use: serve(userinfo))
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] {
            routes.on(RouterPath(prefix + "/api/**"), method: method, use: serve { try await self.api($0, below: prefix + "/api") })
        }
        return routes
    }

    // MARK: Authorization

    /// A code for `grant`, usable once within a minute.
    func issueCode(_ grant: Grant) -> String {
        let clientID = configuration.clientID
        return state.withLock { $0.codes.issue(clientID: clientID, redirectURI: grant.redirectURI, grant: grant, lifetime: .seconds(60)) }
    }

    // MARK: Tokens

    private func token(_ request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: 64 * 1024)
        let values = Dictionary(FormEncoding.parse(String(buffer: body)), uniquingKeysWith: { first, _ in first })
        let configuration = self.configuration
        guard clientAuthenticated(request, values, configuration: configuration) else {
            return Self.error("invalid_client", status: .unauthorized)
        }
        let issued: (user: String, scope: String)?
        switch values["grant_type"] {
        case "authorization_code":
            issued = state.withLock { state -> (String, String)? in
                guard let code = values["code"], case .success(let stored) = state.codes.check(code, clientID: configuration.clientID) else {
                    return nil
                }
                state.codes.redeem(code)
                let grant = stored.grant
                guard grant.redirectURI == (values["redirect_uri"] ?? configuration.redirectURI) else { return nil }
                if let challenge = grant.challenge {
                    guard let verifier = values["code_verifier"], Self.challenge(for: verifier) == challenge else { return nil }
                } else if configuration.requiresPKCE {
                    return nil
                }
                return (grant.user, grant.scope)
            }
        case "refresh_token":
            issued = state.withLock { state -> (String, String)? in
                guard !state.refusesRefresh, let refresh = values["refresh_token"], let known = state.refreshTokens[refresh] else { return nil }
                if configuration.rotatesRefreshTokens { state.refreshTokens[refresh] = nil }
                state.refreshCount += 1
                return known
            }
        default:
            return Self.error("unsupported_grant_type", status: .badRequest)
        }
        guard let issued else {
            return Self.error("invalid_grant", status: .badRequest)
        }
        let accessToken = RandomToken.hex(byteCount: 32)
        var reply: [(String, String)] = [
            ("access_token", accessToken), ("token_type", "bearer"), ("expires_in", String(configuration.tokenLifetime)), ("scope", issued.scope),
        ]
        state.withLock { state in
            state.issued.append(accessToken)
            state.tokens[accessToken] = (issued.user, issued.scope, Date().addingTimeInterval(TimeInterval(configuration.tokenLifetime)))
            if configuration.issuesRefreshTokens {
                let presented = values["grant_type"] == "refresh_token" ? values["refresh_token"] : nil
                let refresh = configuration.rotatesRefreshTokens || presented == nil ? RandomToken.hex(byteCount: 32) : presented!
                state.refreshTokens[refresh] = (issued.user, issued.scope)
                state.issued.append(refresh)
                reply.append(("refresh_token", refresh))
            }
        }
        switch configuration.tokenReplyStyle {
        case .formAsHTML:
            return .form(reply, asHTML: true)
        case .json:
            let members: [(String, JSONValue)] = reply.map { name, value in
                (name, name == "expires_in" ? .integer(Int(value) ?? 0) : .string(value))
            }
            return .json(.object(members), headers: [.cacheControl: "no-store"])
        }
    }

    private func clientAuthenticated(_ request: Request, _ values: [String: String], configuration: Configuration) -> Bool {
        if let basic = BasicCredentials(header: request.headers[.authorization]) {
            return basic.matches(clientID: configuration.clientID, clientSecret: configuration.clientSecret)
        }
        return values["client_id"] == configuration.clientID && values["client_secret"] == configuration.clientSecret
    }

    // MARK: Account and API

    /// The user of a live bearer token, or nil.
    private func user(_ request: Request) -> User? {
        guard let value = BearerToken.value(in: request.headers[.authorization]) else { return nil }
        let login = state.withLock { state -> String? in
            guard let token = state.tokens[value], token.expiresAt > Date() else { return nil }
            return token.user
        }
        return Self.users.first { $0.login == login }
    }

    /// `{"error": code}`, the provider's only error body.
    private static func error(_ code: String, status: HTTPResponse.Status, headers: HTTPFields = [:]) -> Response {
        .json(.object([("error", .string(code))]), status: status, headers: headers)
    }

    private static var invalidToken: Response {
        error("invalid_token", status: .unauthorized, headers: [.wwwAuthenticate: "Bearer error=\"invalid_token\""])
    }

    private func userinfo(_ request: Request) -> Response {
        guard let user = user(request) else { return Self.invalidToken }
        return .json(.object([("user", Self.json(user))]))
    }

    private func api(_ request: Request, below base: String) async throws -> Response {
        let path = String(request.uri.path.dropFirst(base.count))
        guard let user = user(request) else { return Self.invalidToken }
        let segments = path.split(separator: "/").map(String.init)
        let notFound = Self.error("not_found", status: .notFound)
        switch (request.method, segments.first, segments.count) {
        case (.get, "me", 1):
            return .json(Self.json(user))
        case (.get, "items", 1):
            let items = state.withLock { $0.items }.filter { $0.owner == user.login }
            return .json(.array(items.map(Self.json)))
        case (.get, "items", 2):
            guard let item = state.withLock({ $0.items }).first(where: { String($0.id) == segments[1] }) else { return notFound }
            return .json(Self.json(item))
        case (.post, "items", 1):
            let body = try await request.body.collect(upTo: 64 * 1024)
            let title = (try? JSONDecoder().decode(JSONValue.self, from: Data(body.readableBytesView)))?["title"]?.stringValue ?? "Untitled"
            let item = state.withLock { state in
                let item = (id: (state.items.map(\.id).max() ?? 100) + 1, owner: user.login, title: title)
                state.items.append(item)
                return item
            }
            return .json(Self.json(item), status: .created)
        case (.get, "users", 2):
            guard let other = Self.users.first(where: { $0.login == segments[1] }) else { return notFound }
            return .json(Self.json(other))
        case (.get, "admin", 2) where segments[1] == "keys":
            return .json(.object([("keys", .array([.string("never-for-browsers")]))]))
        default:
            return notFound
        }
    }

    private static func json(_ user: User) -> JSONValue {
        .object([("id", .integer(user.id)), ("login", .string(user.login)), ("name", .string(user.name))])
    }

    private static func json(_ item: (id: Int, owner: String, title: String)) -> JSONValue {
        .object([("id", .integer(item.id)), ("owner", .string(item.owner)), ("title", .string(item.title))])
    }

    /// RFC 7636's S256: `BASE64URL(SHA256(verifier))` without padding.
    public static func challenge(for verifier: String) -> String {
        Data(SHA256.hash(data: Data(verifier.utf8))).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
