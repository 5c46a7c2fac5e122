import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Sign-in with every configured provider: the OAuth2 code flow (once, for all of them),
/// Thingiverse's token flow, linking a second provider to the session, unlinking, the current
/// person and logout.
///
/// Every flow ends in the same checks before a session changes: the state matches this
/// browser's pre-login cookie for this provider and is used once, and the provider vouches
/// for the token's account (``SignInProvider/account(for:)``).
public struct SignInController<Context: RequestContext>: Sendable {
    let providers: [ProviderID: any SignInProvider]
    let cookies: SessionCookies
    let publicURL: String
    /// Only this site's own pages may post tokens and unlink.
    let sameOrigin: SameOriginPolicy
    /// Where single sign-on into the app's forum starts (`/sso/userecho`), when it is on.
    let forumPath: String?
    /// Each provider's entry in the pages' API console (``Provider/console``), told to the pages in `sign_in`.
    let consoles: [ProviderID: ProviderConsole]
    /// Runs when a session ends by logout (UserEcho ends the person's forum sessions).
    let onLogout: @Sendable (Session) -> Void

    public init(
        providers: [any SignInProvider], cookies: SessionCookies, publicURL: String, forumPath: String? = nil,
        consoles: [ProviderID: ProviderConsole] = [:], onLogout: @escaping @Sendable (Session) -> Void = { _ in }
    ) {
        self.providers = Dictionary(providers.map { ($0.provider, $0) }, uniquingKeysWith: { first, _ in first })
        self.cookies = cookies
        self.publicURL = publicURL
        self.sameOrigin = SameOriginPolicy(publicURL: publicURL)
        self.forumPath = forumPath
        self.consoles = consoles
        self.onLogout = onLogout
    }

    public var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        // The first release's Thingiverse URLs, registered by apps as their callback: kept as they were.
        routes.get("login") { request, context in try await self.login(.thingiverse, request: request) }
        routes.get("callback") { request, context in try await self.callback(.thingiverse, request: request) }
        routes.get(":provider/login") { request, context in try await self.login(self.provider(context), request: request) }
        routes.get(":provider/callback") { request, context in try await self.callback(self.provider(context), request: request) }
        // Changes to a session come from this site's own pages only.
        routes.group()
            .add(
                middleware: SameOriginMiddleware(policy: sameOrigin) { _, context in
                    let provider = context.parameters.get("provider").flatMap { ProviderID(rawValue: $0) } ?? .thingiverse
                    return SignInFailure(.crossOrigin, provider: self.providers[provider]?.provider ?? provider)
                }
            )
            .post("token", use: token)
            .post(":provider/unlink", use: unlink)
        routes.get("me", use: me)
        routes.get("session", use: sessionStatus)
        routes.post("logout", use: logout)
        return routes
    }

    /// The `redirect_uri` registered with `provider`; Thingiverse's stays `/auth/callback`.
    func redirectURI(_ provider: ProviderID) -> String {
        provider == .thingiverse ? publicURL + "/auth/callback" : publicURL + "/auth/\(provider.rawValue)/callback"
    }

    /// The provider named in the path, as its description knows it (with its display name).
    private func provider(_ context: Context) throws -> ProviderID {
        guard let name = context.parameters.get("provider"), let provider = ProviderID(rawValue: name), let signIn = providers[provider] else {
            throw AppError(.notFound, "unknown_provider", "There is no sign-in with that provider here.")
        }
        return signIn.provider
    }

    private func signIn(_ provider: ProviderID) throws -> any SignInProvider {
        guard let signIn = providers[provider] else {
            throw AppError(.notFound, "unknown_provider", "Sign-in with \(provider.displayName) is not configured here.")
        }
        return signIn
    }

    /// `GET /auth/{provider}/login[?return_to=/path][&flow=code|token]`: starts a sign-in.
    func login(_ provider: ProviderID, request: Request) async throws -> Response {
        let signIn = try signIn(provider)
        let query = request.uri.queryParameters
        let flow: LoginAttempt.Flow = signIn.supportsTokenFlow && query["flow"].map(String.init) == "token" ? .token : .code
        var attempt = cookies.newLoginAttempt(provider: provider, flow: flow, returnTo: ReturnPath(query["return_to"].map(String.init)))
        var parameters =
            [
                ("client_id", signIn.clientID), ("redirect_uri", redirectURI(provider)),
                ("response_type", flow == .token ? "token" : "code"),
            ] + signIn.extraAuthorizeParameters + [("state", attempt.state)]
        if signIn.usesPKCE && flow == .code {
            // RFC 7636: the verifier stays in the sealed pre-login cookie; only its hash travels.
            let verifier = randomToken(bytes: 32)
            attempt.codeVerifier = verifier
            parameters += [("code_challenge", PKCE.challenge(for: verifier)), ("code_challenge_method", "S256")]
        }
        var response = Self.redirect(to: signIn.authorizeURL + "?" + FormEncoding.encode(parameters))
        response.setCookie(try cookies.loginCookie(for: attempt))
        return response
    }

    /// `GET /auth/{provider}/callback`: the provider sends the browser back here.
    func callback(_ provider: ProviderID, request: Request) async throws -> Response {
        let signIn = try signIn(provider)
        return try await failing(as: provider) {
            let query = request.uri.queryParameters
            if let error = query["error"] {
                throw error == "access_denied" ? SignInError.accessDenied : SignInError.providerError
            }
            guard let attempt = cookies.loginAttempt(from: request) else { throw SignInError.noLoginInProgress }
            guard attempt.provider == provider else { throw SignInError.otherProvider }
            guard let code = query["code"].map(String.init) else {
                // The token flow puts the token in the fragment, which only the page can read.
                if attempt.flow == .token { return Self.tokenLandingPage() }
                throw query["state"] == nil ? SignInError.stateMissing : SignInError.codeMissing
            }
            guard let state = query["state"].map(String.init) else { throw SignInError.stateMissing }
            try await checkAndConsume(state: state, attempt: attempt)

            let grant: TokenGrant
            do {
                grant = try await signIn.exchange(code: code, redirectURI: redirectURI(provider), codeVerifier: attempt.codeVerifier)
            } catch SignInRefusal.codeRefused {
                throw SignInError.codeRefused
            }
            let session = try await signedIn(with: signIn, grant: grant, request: request)
            var response = Self.redirect(to: attempt.returnTo)
            response.setCookie(try cookies.sessionCookie(for: session))
            response.setCookie(cookies.clearedLoginCookie)
            return response
        }
    }

    struct TokenRequest: Decodable {
        let access_token: String
        let state: String
    }

    struct TokenReply: ResponseEncodable {
        let ok: Bool
        let return_to: String
    }

    /// `POST /auth/token`: Thingiverse's token flow; its page posts the fragment's token and the state.
    func token(request: Request, context: Context) async throws -> Response {
        let signIn = try signIn(.thingiverse)
        return try await failing(as: .thingiverse) {
            guard let attempt = cookies.loginAttempt(from: request), attempt.flow == .token, attempt.provider == .thingiverse else {
                throw SignInError.noLoginInProgress
            }
            let body = try await request.body.collect(upTo: 8 * 1024)
            guard let tokenRequest = try? JSONDecoder().decode(TokenRequest.self, from: Data(body.readableBytesView)),
                !tokenRequest.access_token.isEmpty, tokenRequest.access_token.utf8.count <= 512
            else { throw SignInError.malformedTokenRequest }
            try await checkAndConsume(state: tokenRequest.state, attempt: attempt)

            let session = try await signedIn(with: signIn, grant: TokenGrant(accessToken: Secret(tokenRequest.access_token)), request: request)
            var response = try TokenReply(ok: true, return_to: attempt.returnTo).response(from: request, context: context)
            response.headers[.cacheControl] = "no-store"
            response.setCookie(try cookies.sessionCookie(for: session))
            response.setCookie(cookies.clearedLoginCookie)
            return response
        }
    }

    /// `POST /auth/{provider}/unlink`: drops that provider's account and token from the session
    /// (same-origin only). The cookie that held the token is refused from now on.
    func unlink(request: Request, context: Context) async throws -> Response {
        let provider = try provider(context)
        var response: Response
        guard let session = try await cookies.session(from: request) else {
            return try status(nil).response(from: request, context: context)
        }
        if session.account(provider) == nil {
            response = try status(session).response(from: request, context: context)
        } else if let remaining = try await cookies.unlinking(provider, from: session) {
            response = try status(remaining).response(from: request, context: context)
            response.setCookie(try cookies.sessionCookie(for: remaining))
        } else {
            response = try status(nil).response(from: request, context: context)
            response.setCookie(cookies.clearedSessionCookie)
        }
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// `GET /auth/me`: the signed-in person's first account, and every linked one.
    func me(request: Request, context: Context) async throws -> Response {
        guard let session = try await cookies.session(from: request) else {
            throw AppError(.unauthorized, "not_signed_in", "Sign in first.", action: .init(label: "Sign in", href: "/auth/login"))
        }
        var response = try Me(session).response(from: request, context: context)
        response.headers[.cacheControl] = "no-store"
        if let refreshed = try cookies.refreshedCookie(for: session) {
            response.setCookie(refreshed)
        }
        return response
    }

    /// `GET /auth/session`: whether this browser is signed in, always 200, so pages can ask
    /// without a failed request in the console.
    func sessionStatus(request: Request, context: Context) async throws -> Response {
        var response = try status(try await cookies.session(from: request)).response(from: request, context: context)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// `POST /auth/logout`: ends the session for good, on every instance.
    func logout(request: Request, context: Context) async throws -> Response {
        if let session = try await cookies.session(from: request) {
            try await cookies.end(session)
            onLogout(session)
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

    /// Runs a step of `provider`'s sign-in, giving its ``SignInError``s the provider's name.
    private func failing(as provider: ProviderID, _ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let error as SignInError {
            throw SignInFailure(error, provider: provider)
        } catch is SignInRefusal {
            throw SignInFailure(.tokenRefused, provider: provider)
        }
    }

    /// The state must be this browser's, compared in constant time, and unused until now.
    private func checkAndConsume(state: String, attempt: LoginAttempt) async throws {
        guard SecretDigest(Secret(attempt.state)).matches(state) else { throw SignInError.stateMismatch }
        guard try await cookies.consume(attempt) else { throw SignInError.stateReused }
    }

    /// The session once the provider has vouched for the token's account: linked to the
    /// browser's current session, if it has one. Signing in as another person of a provider
    /// already linked is not linking: the old session ends and a new one starts.
    private func signedIn(with signIn: any SignInProvider, grant: TokenGrant, request: Request) async throws -> Session {
        let account = try await signIn.account(for: grant.accessToken).holding(grant, now: SessionCookies.now())
        var existing = try await cookies.session(from: request)
        if let current = existing, let linked = current.account(account.provider), linked.id != account.id {
            try await cookies.end(current)
            existing = nil
        }
        return cookies.session(signingIn: account, existing: existing)
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
