import HTTPTypes
import Hummingbird
import Synchronization

/// The OAuth endpoints of www.thingiverse.com: the authorization screen, the code exchange and
/// token validation, behaving as the "Getting Started" guide describes.
struct OAuthController: AuthorizationScreen {
    let simulator: ThingiverseSimulator
    /// Path prefix the web routes are mounted at ("" or e.g. "/sim").
    let prefix: String

    func addRoutes<Context: RequestContext>(to routes: RouteCollection<Context>) {
        addAuthorizeRoutes(to: routes, path: "\(prefix)/login/oauth/authorize")
        routes.post(RouterPath("\(prefix)/login/oauth/access_token")) { request, context in
            try await self.accessToken(request: request, context: context)
        }
        routes.post(RouterPath("\(prefix)/login/oauth/tokeninfo")) { request, context in
            try await self.tokenInfo(request: request, context: context)
        }
    }

    // MARK: The authorization screen

    func authorization(from parameters: [String: String]) throws(AuthorizeRequest.Failure) -> AuthorizeRequest {
        try AuthorizeRequest(parameters: parameters, configuration: simulator.configuration)
    }

    var dropsState: Bool { simulator.faults.dropState }

    /// "Authorize APP?" with a choice of seeded user.
    func consentPage(for request: AuthorizeRequest) -> String {
        var hidden: [(String, String)] = [
            ("client_id", request.app.clientID), ("redirect_uri", request.redirectURI),
            ("response_type", request.responseType.rawValue),
        ]
        if let state = request.state {
            hidden.append(("state", state))
        }
        let users = simulator.state.withLock { $0.users }
        let body = ConsentPage.body(
            heading: "Authorize \(request.app.name)?", appName: request.app.name, wants: "access your Thingiverse account",
            redirectURI: request.redirectURI, details: nil, hiddenFields: hidden,
            users: users.map { ($0.name, "\($0.name) (\($0.fullName))") },
            formAction: simulator.configuration.web + "/login/oauth/authorize",
            note: "This is a simulated Thingiverse for development; no real account is used.")
        return HTML.page(title: "Authorize \(request.app.name)?", body: body)
    }

    func errorPage(_ message: String) -> String {
        HTML.page(title: "Authorization failed", body: ConsentPage.error(message))
    }

    /// A code (code flow) or a token in the fragment (token flow).
    func allow(_ authorization: AuthorizeRequest, user name: String?, echoing echoedState: [(String, String)]) -> String? {
        let lifetime = simulator.configuration.codeLifetime
        let audience = simulator.audience(for: authorization.app.clientID)
        return simulator.state.withLock { state in
            guard let name, let user = state.user(named: name) else { return nil }
            switch authorization.responseType {
            case .code:
                let code = state.codes.issue(
                    clientID: authorization.app.clientID, redirectURI: authorization.redirectURI, grant: user.id, lifetime: lifetime)
                return authorization.redirect(query: [("code", code)] + echoedState)
            case .token:
                let token = state.issueToken(userID: user.id, clientID: audience)
                return authorization.redirect(fragment: [("access_token", token), ("token_type", "bearer")] + echoedState)
            }
        }
    }

    // MARK: Tokens

    /// `POST /login/oauth/access_token`: exchanges a code; replies form-encoded.
    func accessToken(request: Request, context: some RequestContext) async throws -> Response {
        if let fault = try await simulator.fault(afterLogging: request, prefix: prefix) { return fault }
        let parameters = try await RequestInput.read(request, context: context).oauthParameters
        guard let clientID = parameters["client_id"], let app = simulator.configuration.app(clientID: clientID),
            parameters["client_secret"] == app.clientSecret
        else {
            return tokenError(
                .unauthorized, "invalid_client", "Unknown client_id or wrong client_secret.")
        }
        guard let code = parameters["code"], !code.isEmpty else {
            return tokenError(.badRequest, "invalid_request", "The code parameter is required.")
        }
        let audience = simulator.audience(for: app.clientID)
        do {
            let token = try simulator.state.withLock { state throws(AuthorizeError) -> String in
                let stored = try state.codes.check(code, clientID: app.clientID).mapError { AuthorizeError(message: $0.message) }.get()
                if let redirectURI = parameters["redirect_uri"], !redirectURI.isEmpty, redirectURI != stored.redirectURI {
                    throw AuthorizeError(message: "The redirect_uri does not match the one used to obtain the code.")
                }
                state.codes.redeem(code)
                return state.issueToken(userID: stored.grant, clientID: audience)
            }
            return .form([("access_token", token), ("token_type", "bearer")], asHTML: simulator.faults.formRepliesAsHTML)
        } catch {
            return tokenError(.badRequest, "invalid_grant", error.message)
        }
    }

    /// `POST /login/oauth/tokeninfo`: says which app (`audience`) and user a token belongs to.
    func tokenInfo(request: Request, context: some RequestContext) async throws -> Response {
        if let fault = try await simulator.fault(afterLogging: request, prefix: prefix) { return fault }
        let parameters = try await RequestInput.read(request, context: context).oauthParameters
        let token = parameters["access_token"].flatMap { value in
            simulator.state.withLock { $0.tokens[value] }
        }
        guard let token else {
            return .json(.object([("error", .string("invalid_token"))]), status: .badRequest)
        }
        return .json(.object([("audience", .string(token.clientID)), ("user_id", .string(String(token.userID)))]))
    }

    private func tokenError(_ status: HTTPResponse.Status, _ code: String, _ description: String) -> Response {
        .form([("error", code), ("error_description", description)], status: status, asHTML: simulator.faults.formRepliesAsHTML)
    }
}

/// A reason, readable by a person, why an OAuth step failed.
struct AuthorizeError: Error {
    var message: String
}
