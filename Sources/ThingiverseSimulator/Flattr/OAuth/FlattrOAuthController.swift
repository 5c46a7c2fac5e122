import HTTPTypes
import Hummingbird
import Synchronization

/// The OAuth2 endpoints of flattr.com: the authorization screen and the code exchange, with
/// the client authenticated by HTTP Basic as Flattr's documentation shows.
struct FlattrOAuthController: AuthorizationScreen {
    let simulator: FlattrSimulator
    /// Path prefix the web routes are mounted at ("" or e.g. "/sim/flattr").
    let prefix: String

    func addRoutes<Context: RequestContext>(to routes: RouteCollection<Context>) {
        addAuthorizeRoutes(to: routes, path: "\(prefix)/oauth/authorize")
        routes.post(RouterPath("\(prefix)/oauth/token")) { request, context in
            try await self.token(request: request, context: context)
        }
    }

    // MARK: The authorization screen

    func authorization(from parameters: [String: String]) throws(AuthorizationRefusal) -> FlattrAuthorizeRequest {
        try FlattrAuthorizeRequest(parameters: parameters, configuration: simulator.configuration)
    }

    var dropsState: Bool { false }

    /// "Authorize APP on Flattr?" with the scopes asked for and a choice of seeded user.
    func consentPage(for request: FlattrAuthorizeRequest) -> String {
        let scopes = FlattrScopes.known.filter { request.scopes.contains($0.name) }.map {
            "<li>\(HTML.escape($0.meaning)) (<code>\(HTML.escape($0.name))</code>)</li>"
        }.joined(separator: "\n")
        let users = simulator.state.withLock { $0.users }
        let body = ConsentPage.body(
            heading: "Authorize \(request.app.name) on Flattr?", appName: request.app.name, wants: "connect to your Flattr account",
            redirectURI: request.redirectURI,
            details: scopes.isEmpty
                ? "<p>It asks for no permissions beyond your public profile.</p>"
                : "<p>It will be able to:</p>\n<ul class=\"scopes\">\n\(scopes)\n</ul>",
            hiddenFields: request.formFields,
            users: users.map { ($0.username, $0.fullName.isEmpty ? $0.username : "\($0.username) (\($0.fullName))") },
            formAction: simulator.configuration.web + "/oauth/authorize",
            note: "This is a simulated Flattr for development; no real account or money is used.")
        return FlattrPage.render(title: "Authorize \(request.app.name) on Flattr?", body: body)
    }

    func errorPage(_ message: String) -> String {
        FlattrPage.render(title: "Authorization failed", body: ConsentPage.error(message))
    }

    /// A code for the user, the scopes and the redirect URI.
    func allow(_ authorization: FlattrAuthorizeRequest, user name: String?, echoing echoedState: [(String, String)]) -> String? {
        let lifetime = simulator.configuration.codeLifetime
        let code: String? = simulator.state.withLock { state in
            guard let name, let user = state.user(named: name) else { return nil }
            let grant = FlattrGrant(
                redirectURIWasGiven: authorization.redirectURIWasGiven, username: user.username, scopes: authorization.scopes)
            return state.codes.issue(
                clientID: authorization.app.clientID, redirectURI: authorization.redirectURI, grant: grant, lifetime: lifetime)
        }
        return code.map { authorization.redirect(query: [("code", $0)] + echoedState) }
    }

    // MARK: Tokens

    /// `POST /oauth/token`: exchanges a code for a token; replies JSON. Every call is recorded
    /// for `FlattrSimulator.tokenRequests()`.
    func token(request: Request, context: some RequestContext) async throws -> Response {
        simulator.record(request, prefix: prefix)
        let input = try await RequestInput.read(request, context: context)
        let call = FlattrTokenCall(input: input, authorization: request.headers[.authorization])
        let configuration = simulator.configuration
        let containsSecret = call.containsAny(of: configuration.apps.map(\.clientSecret))
        var succeeded = false
        defer {
            let record = FlattrTokenRequestRecord(
                basicClientID: call.basic?.clientID, bodyFieldNames: call.bodyFieldNames, bodyContainsSecret: containsSecret,
                succeeded: succeeded)
            simulator.state.withLock { $0.tokenRequests.appendKeepingRecent(record) }
        }
        if let fault = try await simulator.faultResponse() {
            return fault
        }
        do {
            let (token, scopes) = try exchange(call, containsSecret: containsSecret, configuration: configuration)
            succeeded = true
            return Self.tokenReply(
                .object([("access_token", .string(token)), ("token_type", .string("bearer")), ("scope", .string(scopes.text))]))
        } catch {
            let headers: HTTPFields = error.status == .unauthorized ? [.wwwAuthenticate: "Basic realm=\"flattr\""] : [:]
            return Self.tokenReply(
                .object([("error", .string(error.code)), ("error_description", .string(error.message))]),
                status: error.status, headers: headers)
        }
    }

    /// Checks the client, the grant and the code in that order; a failure leaves the code usable.
    private func exchange(
        _ call: FlattrTokenCall, containsSecret: Bool, configuration: FlattrSimulatorConfiguration
    ) throws(FlattrTokenError) -> (String, FlattrScopes) {
        guard let credentials = call.basic else {
            throw .invalidClient(
                "Authenticate the client with HTTP Basic (Authorization: Basic base64(client_id:client_secret)); "
                    + "credentials in the body are not accepted.")
        }
        guard let app = configuration.apps.first(where: { credentials.matches(clientID: $0.clientID, clientSecret: $0.clientSecret) }) else {
            throw .invalidClient("Unknown client_id or wrong client_secret in the Basic credentials.")
        }
        if call.body?["client_secret"] != nil || containsSecret {
            throw .invalidRequest("The client secret must be sent only in the Authorization: Basic header, never in the body or the query.")
        }
        guard let body = call.body else { throw .invalidRequest("The body must be form-encoded or a JSON object.") }
        guard let grantType = body["grant_type"], !grantType.isEmpty else { throw .invalidRequest("The grant_type parameter is required.") }
        guard grantType == "authorization_code" else { throw .unsupportedGrantType("Only grant_type=authorization_code is supported.") }
        guard let code = body["code"], !code.isEmpty else { throw .invalidRequest("The code parameter is required.") }
        let redirectURI = body["redirect_uri"].flatMap { $0.isEmpty ? nil : $0 }
        return try simulator.state.withLock { state throws(FlattrTokenError) in
            let stored = try state.codes.check(code, clientID: app.clientID).mapError { FlattrTokenError.invalidGrant($0.message) }.get()
            switch redirectURI {
            case nil where stored.grant.redirectURIWasGiven:
                throw .invalidRequest("The redirect_uri parameter is required: the authorization request had one.")
            case let given? where given != stored.redirectURI:
                throw .invalidGrant("The redirect_uri does not match the one used to obtain the code.")
            default:
                break
            }
            state.codes.redeem(code)
            let token = state.issueToken(username: stored.grant.username, clientID: app.clientID, scopes: stored.grant.scopes)
            return (token, stored.grant.scopes)
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
