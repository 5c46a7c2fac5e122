import HTTPTypes
import Hummingbird
import Synchronization

/// The OAuth endpoints of www.thingiverse.com: the authorization screen, the code exchange and
/// token validation, behaving as the "Getting Started" guide describes.
struct OAuthController: Sendable {
    let simulator: ThingiverseSimulator
    /// Path prefix the web routes are mounted at ("" or e.g. "/sim").
    let prefix: String

    func addRoutes<Context: RequestContext>(to routes: RouteCollection<Context>) {
        routes.get(RouterPath("\(prefix)/login/oauth/authorize")) { request, context in
            try await self.authorizePage(request: request, context: context)
        }
        routes.post(RouterPath("\(prefix)/login/oauth/authorize")) { request, context in
            try await self.authorizeDecision(request: request, context: context)
        }
        routes.post(RouterPath("\(prefix)/login/oauth/access_token")) { request, context in
            try await self.accessToken(request: request, context: context)
        }
        routes.post(RouterPath("\(prefix)/login/oauth/tokeninfo")) { request, context in
            try await self.tokenInfo(request: request, context: context)
        }
    }

    /// `GET /login/oauth/authorize`: shows "Authorize APP?" or a 400 page for a bad request.
    func authorizePage(request: Request, context: some RequestContext) async throws -> Response {
        simulator.record(request, prefix: prefix)
        if let fault = try await simulator.faultResponse() { return fault }
        let parameters = request.uri.query.map { FormEncoding.dictionary($0) } ?? [:]
        let authorization: AuthorizeRequest
        do {
            authorization = try AuthorizeRequest(parameters: parameters, configuration: simulator.configuration)
        } catch {
            return .html(AuthorizePage.error(error.message), status: .badRequest)
        }
        let users = simulator.state.withLock { $0.users }
        let page = AuthorizePage.render(
            request: authorization, users: users,
            formAction: simulator.configuration.web + "/login/oauth/authorize")
        var headers = HTTPFields()
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        return .html(page, headers: headers)
    }

    /// `POST /login/oauth/authorize`: the user pressed Allow or Deny; redirects to the app.
    func authorizeDecision(request: Request, context: some RequestContext) async throws -> Response {
        simulator.record(request, prefix: prefix)
        if let fault = try await simulator.faultResponse() { return fault }
        let parameters = try await RequestInput.read(request, context: context).oauthParameters
        let authorization: AuthorizeRequest
        do {
            authorization = try AuthorizeRequest(parameters: parameters, configuration: simulator.configuration)
        } catch {
            return .html(AuthorizePage.error(error.message), status: .badRequest)
        }
        let echoedState: [(String, String)] =
            simulator.faults.dropState ? [] : authorization.state.map { [("state", $0)] } ?? []

        switch parameters["decision"] {
        case "deny":
            return .found(authorization.redirect(query: [("error", "access_denied")] + echoedState))
        case "allow":
            break
        default:
            return .html(AuthorizePage.error("Choose Allow or Deny."), status: .badRequest)
        }

        let lifetime = simulator.configuration.codeLifetime
        let outcome: Result<String, AuthorizeError> = simulator.state.withLock { state in
            guard let name = parameters["user"], let user = state.user(named: name) else {
                return .failure(AuthorizeError(message: "Choose one of the listed users to sign in as."))
            }
            switch authorization.responseType {
            case .code:
                let now = ContinuousClock.now
                state.codes = state.codes.filter { $0.value.expiresAt > now }
                let code = RandomToken.hex(byteCount: 16)
                state.codes[code] = AuthorizationCode(
                    value: code, clientID: authorization.app.clientID, redirectURI: authorization.redirectURI,
                    userID: user.id, expiresAt: now.advanced(by: lifetime))
                return .success(authorization.redirect(query: [("code", code)] + echoedState))
            case .token:
                let token = state.issueToken(userID: user.id, clientID: authorization.app.clientID)
                return .success(
                    authorization.redirect(
                        fragment: [("access_token", token), ("token_type", "bearer")] + echoedState))
            }
        }
        switch outcome {
        case .success(let location): return .found(location)
        case .failure(let error): return .html(AuthorizePage.error(error.message), status: .badRequest)
        }
    }

    /// `POST /login/oauth/access_token`: exchanges a code; replies form-encoded.
    func accessToken(request: Request, context: some RequestContext) async throws -> Response {
        simulator.record(request, prefix: prefix)
        if let fault = try await simulator.faultResponse() { return fault }
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
        let outcome: Result<String, AuthorizeError> = simulator.state.withLock { state in
            guard let stored = state.codes[code] else {
                return .failure(AuthorizeError(message: "The code is unknown or has already been used."))
            }
            guard stored.expiresAt > ContinuousClock.now else {
                state.codes[code] = nil
                return .failure(AuthorizeError(message: "The code has expired."))
            }
            guard stored.clientID == app.clientID else {
                return .failure(AuthorizeError(message: "The code was issued to another app."))
            }
            if let redirectURI = parameters["redirect_uri"], !redirectURI.isEmpty, redirectURI != stored.redirectURI {
                return .failure(
                    AuthorizeError(message: "The redirect_uri does not match the one used to obtain the code."))
            }
            state.codes[code] = nil
            return .success(state.issueToken(userID: stored.userID, clientID: app.clientID))
        }
        switch outcome {
        case .success(let token):
            return .form([("access_token", token), ("token_type", "bearer")], asHTML: simulator.faults.formRepliesAsHTML)
        case .failure(let error):
            return tokenError(.badRequest, "invalid_grant", error.message)
        }
    }

    /// `POST /login/oauth/tokeninfo`: says which app (`audience`) and user a token belongs to.
    func tokenInfo(request: Request, context: some RequestContext) async throws -> Response {
        simulator.record(request, prefix: prefix)
        if let fault = try await simulator.faultResponse() { return fault }
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
