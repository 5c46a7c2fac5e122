import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Sign-in with Thingiverse: the code flow, the token flow, the current user and logout.
///
/// Both flows end in the same checks before a session exists: the state matches this browser's
/// pre-login cookie and is used once, tokeninfo's audience is exactly our client id, and
/// `/users/me` describes the token's user.
public struct AuthController<Context: RequestContext>: Sendable {
    let account: any ThingiverseAccount
    let cookies: SessionCookies
    let clientID: String
    let authorizeURL: String
    let redirectURI: String
    /// `scheme://host[:port]` of the public URL: the only origin allowed to post tokens.
    let publicOrigin: String

    public init(account: any ThingiverseAccount, cookies: SessionCookies, clientID: String, webURL: String, publicURL: String) {
        self.account = account
        self.cookies = cookies
        self.clientID = clientID
        self.authorizeURL = webURL + "/login/oauth/authorize"
        self.redirectURI = publicURL + "/auth/callback"
        self.publicOrigin = ThingBridgeConfiguration.origin(publicURL) ?? publicURL
    }

    public var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("login", use: login)
        routes.get("callback", use: callback)
        routes.post("token", use: token)
        routes.get("me", use: me)
        routes.get("session", use: sessionStatus)
        routes.post("logout", use: logout)
        return routes
    }

    /// `GET /auth/login[?return_to=/path][&flow=code|token]`: starts a sign-in.
    func login(request: Request, context: Context) async throws -> Response {
        let query = request.uri.queryParameters
        let flow: LoginAttempt.Flow = query["flow"].map(String.init) == "token" ? .token : .code
        let attempt = cookies.newLoginAttempt(flow: flow, returnTo: ReturnPath(query["return_to"].map(String.init)))
        let location =
            authorizeURL + "?"
            + FormEncoding.encode([
                ("client_id", clientID), ("redirect_uri", redirectURI),
                ("response_type", flow == .token ? "token" : "code"), ("state", attempt.state),
            ])
        var response = Self.redirect(to: location)
        response.setCookie(try cookies.loginCookie(for: attempt))
        return response
    }

    /// `GET /auth/callback`: Thingiverse sends the browser back here.
    func callback(request: Request, context: Context) async throws -> Response {
        let query = request.uri.queryParameters
        if let error = query["error"] {
            throw error == "access_denied" ? SignInError.accessDenied : SignInError.providerError
        }
        guard let attempt = cookies.loginAttempt(from: request) else { throw SignInError.noLoginInProgress }
        guard let code = query["code"].map(String.init) else {
            // The token flow puts the token in the fragment, which only the page can read.
            if attempt.flow == .token { return Self.tokenLandingPage() }
            throw query["state"] == nil ? SignInError.stateMissing : SignInError.codeMissing
        }
        guard let state = query["state"].map(String.init) else { throw SignInError.stateMissing }
        try await checkAndConsume(state: state, attempt: attempt)

        let token: Secret
        do {
            token = try await account.exchange(code: code, redirectURI: redirectURI)
        } catch SignInRefusal.codeRefused {
            throw SignInError.codeRefused
        }
        let session = try await verifiedSession(for: token)
        var response = Self.redirect(to: attempt.returnTo)
        response.setCookie(try cookies.sessionCookie(for: session))
        response.setCookie(cookies.clearedLoginCookie)
        return response
    }

    struct TokenRequest: Decodable {
        let access_token: String
        let state: String
    }

    struct TokenReply: ResponseEncodable {
        let ok: Bool
        let return_to: String
    }

    /// `POST /auth/token`: the token flow's page posts the fragment's token and the state.
    func token(request: Request, context: Context) async throws -> Response {
        guard isSameOrigin(request) else { throw SignInError.crossOrigin }
        guard let attempt = cookies.loginAttempt(from: request), attempt.flow == .token else { throw SignInError.noLoginInProgress }
        let body = try await request.body.collect(upTo: 8 * 1024)
        guard let tokenRequest = try? JSONDecoder().decode(TokenRequest.self, from: Data(body.readableBytesView)),
            !tokenRequest.access_token.isEmpty, tokenRequest.access_token.utf8.count <= 512
        else { throw SignInError.malformedTokenRequest }
        try await checkAndConsume(state: tokenRequest.state, attempt: attempt)

        let session = try await verifiedSession(for: Secret(tokenRequest.access_token))
        var response = try TokenReply(ok: true, return_to: attempt.returnTo).response(from: request, context: context)
        response.headers[.cacheControl] = "no-store"
        response.setCookie(try cookies.sessionCookie(for: session))
        response.setCookie(cookies.clearedLoginCookie)
        return response
    }

    struct Me: ResponseEncodable {
        let id: String
        let name: String
        let full_name: String?
        let thumbnail: String?
    }

    /// `GET /auth/me`: the signed-in user's public profile.
    func me(request: Request, context: Context) async throws -> Response {
        guard let session = try await cookies.session(from: request) else {
            throw AppError(.unauthorized, "not_signed_in", "Sign in with Thingiverse first.", action: .init(label: "Sign in", href: "/auth/login"))
        }
        var response = try Me(id: session.userID, name: session.name, full_name: session.fullName, thumbnail: session.thumbnail)
            .response(from: request, context: context)
        response.headers[.cacheControl] = "no-store"
        if let refreshed = try cookies.refreshedCookie(for: session) {
            response.setCookie(refreshed)
        }
        return response
    }

    struct SessionStatus: ResponseEncodable {
        let signed_in: Bool
        let user: Me?
    }

    /// `GET /auth/session`: whether this browser is signed in, always 200, so pages can ask
    /// without a failed request in the console.
    func sessionStatus(request: Request, context: Context) async throws -> Response {
        let session = try await cookies.session(from: request)
        let user = session.map { Me(id: $0.userID, name: $0.name, full_name: $0.fullName, thumbnail: $0.thumbnail) }
        var response = try SessionStatus(signed_in: session != nil, user: user).response(from: request, context: context)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// `POST /auth/logout`: ends the session for good, on every instance.
    func logout(request: Request, context: Context) async throws -> Response {
        if let session = try await cookies.session(from: request) {
            try await cookies.end(session)
        }
        var response: Response
        if ErrorResponse.wantsHTML(request) || request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true {
            response = Response(status: .seeOther, headers: [.location: "/", .cacheControl: "no-store"])
        } else {
            response = Response(status: .noContent, headers: [.cacheControl: "no-store"])
        }
        response.setCookie(cookies.clearedSessionCookie)
        return response
    }

    // MARK: Shared checks

    /// The state must be this browser's, compared in constant time, and unused until now.
    private func checkAndConsume(state: String, attempt: LoginAttempt) async throws {
        guard SecretDigest(Secret(attempt.state)).matches(state) else { throw SignInError.stateMismatch }
        guard try await cookies.consume(attempt) else { throw SignInError.stateReused }
    }

    /// tokeninfo's audience must be exactly our client id, and /users/me the token's user.
    private func verifiedSession(for token: Secret) async throws -> Session {
        let info: TokenInfo
        let profile: UserProfile
        do {
            info = try await account.tokenInfo(token)
            guard info.audience == clientID else { throw SignInError.wrongAudience }
            profile = try await account.me(token)
        } catch is SignInRefusal {
            throw SignInError.tokenRefused
        }
        guard profile.id == info.userID else { throw SignInError.userMismatch }
        return cookies.newSession(userID: profile.id, name: profile.name, fullName: profile.fullName, thumbnail: profile.thumbnail, token: token)
    }

    /// Only this site's own pages may post tokens: `Origin` must be ours, or, for browsers that
    /// omit it, `Sec-Fetch-Site` must say same-origin.
    private func isSameOrigin(_ request: Request) -> Bool {
        if let origin = request.headers[.origin] {
            return origin.lowercased() == publicOrigin
        }
        return request.headers[.secFetchSite] == "same-origin"
    }

    /// Redirects with headers that keep codes out of referrers and caches.
    static func redirect(to location: String) -> Response {
        Response(status: .found, headers: [.location: location, .referrerPolicy: "no-referrer", .cacheControl: "no-store"])
    }

    /// The page the token flow lands on: its script reads the fragment, removes it from the
    /// address bar and posts the token to `/auth/token`.
    static func tokenLandingPage() -> Response {
        let html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Signing in… · ThingBridge</title><link rel="stylesheet" href="/style.css">
            <script type="module" src="/js/token-flow.js"></script></head>
            <body><main><h1>Signing you in…</h1><p id="status" role="status">Checking your Thingiverse sign-in.</p></main></body></html>
            """
        return Response(
            status: .ok,
            headers: [.contentType: "text/html; charset=utf-8", .referrerPolicy: "no-referrer", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: html))
        )
    }
}
