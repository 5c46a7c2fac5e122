import HTTPTypes
import Hummingbird
import Synchronization

/// The OAuth2 endpoints of flattr.com: the authorization screen and the code exchange, with
/// the client authenticated by HTTP Basic as Flattr's documentation shows.
struct FlattrOAuthController: Sendable {
    let simulator: FlattrSimulator
    /// Path prefix the web routes are mounted at ("" or e.g. "/sim/flattr").
    let prefix: String

    func addRoutes<Context: RequestContext>(to routes: RouteCollection<Context>) {
        routes.get(RouterPath("\(prefix)/oauth/authorize")) { request, context in
            try await self.authorizePage(request: request, context: context)
        }
        routes.post(RouterPath("\(prefix)/oauth/authorize")) { request, context in
            try await self.authorizeDecision(request: request, context: context)
        }
        routes.post(RouterPath("\(prefix)/oauth/token")) { request, context in
            try await self.token(request: request, context: context)
        }
    }

    /// `GET /oauth/authorize`: shows "Authorize APP on Flattr?" or a 400 page for a bad request.
    func authorizePage(request: Request, context: some RequestContext) async throws -> Response {
        simulator.record(request, prefix: prefix)
        if let fault = try await simulator.faultResponse() { return fault }
        let parameters = request.uri.query.map { FormEncoding.dictionary($0) } ?? [:]
        let configuration = simulator.configuration
        let authorization: FlattrAuthorizeRequest
        do {
            authorization = try FlattrAuthorizeRequest(parameters: parameters, configuration: configuration)
        } catch {
            return .html(FlattrAuthorizePage.error(error.message), status: .badRequest)
        }
        let users = simulator.state.withLock { $0.users }
        let page = FlattrAuthorizePage.render(
            request: authorization, users: users, formAction: configuration.web + "/oauth/authorize")
        var headers = HTTPFields()
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        return .html(page, headers: headers)
    }

    /// `POST /oauth/authorize`: the user pressed Allow or Deny; redirects to the app.
    func authorizeDecision(request: Request, context: some RequestContext) async throws -> Response {
        simulator.record(request, prefix: prefix)
        if let fault = try await simulator.faultResponse() { return fault }
        let parameters = try await RequestInput.read(request, context: context).oauthParameters
        let configuration = simulator.configuration
        let authorization: FlattrAuthorizeRequest
        do {
            authorization = try FlattrAuthorizeRequest(parameters: parameters, configuration: configuration)
        } catch {
            return .html(FlattrAuthorizePage.error(error.message), status: .badRequest)
        }
        let echoedState: [(String, String)] = authorization.state.map { [("state", $0)] } ?? []
        switch parameters["decision"] {
        case "deny":
            return .found(authorization.redirect(query: [("error", "access_denied")] + echoedState))
        case "allow":
            break
        default:
            return .html(FlattrAuthorizePage.error("Choose Allow or Deny."), status: .badRequest)
        }
        let lifetime = configuration.codeLifetime
        let code: String? = simulator.state.withLock { state in
            guard let name = parameters["user"], let user = state.user(named: name) else { return nil }
            let now = ContinuousClock.now
            state.codes = state.codes.filter { $0.value.expiresAt > now }
            let code = RandomToken.hex(byteCount: 16)
            state.codes[code] = FlattrAuthorizationCode(
                value: code, clientID: authorization.app.clientID, redirectURI: authorization.redirectURI,
                redirectURIWasGiven: authorization.redirectURIWasGiven, username: user.username,
                scopes: authorization.scopes, expiresAt: now.advanced(by: lifetime))
            return code
        }
        guard let code else {
            return .html(
                FlattrAuthorizePage.error("Choose one of the listed users to sign in as."), status: .badRequest)
        }
        return .found(authorization.redirect(query: [("code", code)] + echoedState))
    }

    /// `POST /oauth/token`: exchanges a code for a token; replies JSON. Every call is recorded
    /// for `FlattrSimulator.tokenRequests()`.
    func token(request: Request, context: some RequestContext) async throws -> Response {
        simulator.record(request, prefix: prefix)
        let input = try await RequestInput.read(request, context: context)
        let call = FlattrTokenCall(input: input, authorization: request.headers[.authorization])
        let configuration = simulator.configuration
        let containsSecret = call.containsAny(of: configuration.apps.map(\.clientSecret))
        func note(succeeded: Bool) {
            let record = FlattrTokenRequestRecord(
                basicClientID: call.basic?.clientID, bodyFieldNames: call.bodyFieldNames,
                bodyContainsSecret: containsSecret, succeeded: succeeded)
            simulator.state.withLock { $0.record(tokenRequest: record) }
        }
        if let fault = try await simulator.faultResponse() {
            note(succeeded: false)
            return fault
        }
        switch exchange(call, containsSecret: containsSecret, configuration: configuration) {
        case .success(let (token, scopes)):
            note(succeeded: true)
            return Self.tokenReply(
                .object([
                    ("access_token", .string(token)), ("token_type", .string("bearer")),
                    ("scope", .string(scopes.text)),
                ]))
        case .failure(let error):
            note(succeeded: false)
            var headers = HTTPFields()
            if case .invalidClient = error {
                headers[.wwwAuthenticate] = "Basic realm=\"flattr\""
            }
            return Self.tokenReply(
                .object([("error", .string(error.code)), ("error_description", .string(error.message))]),
                status: error.status, headers: headers)
        }
    }

    /// Checks the client, the grant and the code in that order; a failure leaves the code usable.
    private func exchange(
        _ call: FlattrTokenCall, containsSecret: Bool, configuration: FlattrSimulatorConfiguration
    ) -> Result<(String, FlattrScopes), FlattrTokenError> {
        guard let credentials = call.basic else {
            return .failure(
                .invalidClient(
                    "Authenticate the client with HTTP Basic (Authorization: Basic base64(client_id:client_secret)); "
                        + "credentials in the body are not accepted."))
        }
        guard let app = configuration.apps.first(where: { credentials.matches($0) }) else {
            return .failure(.invalidClient("Unknown client_id or wrong client_secret in the Basic credentials."))
        }
        if call.body?["client_secret"] != nil || containsSecret {
            return .failure(
                .invalidRequest(
                    "The client secret must be sent only in the Authorization: Basic header, never in the body "
                        + "or the query."))
        }
        guard let body = call.body else {
            return .failure(.invalidRequest("The body must be form-encoded or a JSON object."))
        }
        guard let grantType = body["grant_type"], !grantType.isEmpty else {
            return .failure(.invalidRequest("The grant_type parameter is required."))
        }
        guard grantType == "authorization_code" else {
            return .failure(.unsupportedGrantType("Only grant_type=authorization_code is supported."))
        }
        guard let code = body["code"], !code.isEmpty else {
            return .failure(.invalidRequest("The code parameter is required."))
        }
        let redirectURI = body["redirect_uri"].flatMap { $0.isEmpty ? nil : $0 }
        return simulator.state.withLock { state in
            guard let stored = state.codes[code] else {
                return .failure(.invalidGrant("The code is unknown or has already been used."))
            }
            guard stored.expiresAt > ContinuousClock.now else {
                state.codes[code] = nil
                return .failure(.invalidGrant("The code has expired."))
            }
            guard stored.clientID == app.clientID else {
                return .failure(.invalidGrant("The code was issued to another app."))
            }
            switch redirectURI {
            case nil where stored.redirectURIWasGiven:
                return .failure(
                    .invalidRequest("The redirect_uri parameter is required: the authorization request had one."))
            case let given? where given != stored.redirectURI:
                return .failure(.invalidGrant("The redirect_uri does not match the one used to obtain the code."))
            default:
                break
            }
            state.codes[code] = nil
            let token = state.issueToken(username: stored.username, clientID: app.clientID, scopes: stored.scopes)
            return .success((token, stored.scopes))
        }
    }

    private static func tokenReply(
        _ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]
    ) -> Response {
        var fields = headers
        fields[.cacheControl] = "no-store"
        fields[HTTPField.Name("Pragma")!] = "no-cache"
        return .flattrJSON(value, status: status, headers: fields)
    }
}
