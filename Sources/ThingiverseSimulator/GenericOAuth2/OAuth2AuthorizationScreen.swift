import Hummingbird

/// A validated request to the generic provider's `/authorize`: the registered client, its
/// redirect URI, `response_type=code`, and (when the provider requires PKCE) an S256 challenge.
struct OAuth2AuthorizeRequest: AuthorizationRedirect {
    var redirectURI: String
    var state: String?
    var challenge: String?
    var scope: String
    var hiddenFields: [(String, String)]

    init(parameters: [String: String], configuration: OAuth2ProviderSimulator.Configuration) throws(AuthorizationRefusal) {
        guard parameters["client_id"] == configuration.clientID else { throw AuthorizationRefusal(message: "Unknown client_id.") }
        guard parameters["response_type"] == "code" else { throw AuthorizationRefusal(message: "Only response_type=code is supported.") }
        if let given = parameters["redirect_uri"], given != configuration.redirectURI {
            throw AuthorizationRefusal(message: "The redirect_uri \"\(given)\" is not registered for this app.")
        }
        challenge = parameters["code_challenge"]
        if configuration.requiresPKCE {
            guard let challenge, challenge.utf8.count == 43, parameters["code_challenge_method"] == "S256" else {
                throw AuthorizationRefusal(message: "PKCE is required: send code_challenge with code_challenge_method=S256.")
            }
        }
        redirectURI = configuration.redirectURI
        state = parameters["state"]
        scope = parameters["scope"] ?? ""
        let carried = ["client_id", "response_type", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method"]
        hiddenFields = carried.compactMap { name in parameters[name].map { (name, $0) } }
    }

    func redirect(query pairs: [(String, String)]) -> String {
        redirectURI.addingQuery(pairs)
    }
}

/// The generic provider's authorization screen, on the kit's steps and consent page.
struct OAuth2AuthorizationScreen: AuthorizationScreen {
    let simulator: OAuth2ProviderSimulator
    let prefix: String
    var dropsState: Bool { false }

    func authorization(from parameters: [String: String]) throws(AuthorizationRefusal) -> OAuth2AuthorizeRequest {
        try OAuth2AuthorizeRequest(parameters: parameters, configuration: simulator.configuration)
    }

    func consentPage(for authorization: OAuth2AuthorizeRequest) -> String {
        let name = simulator.configuration.name
        let body = ConsentPage.body(
            heading: "Authorize \(name)?", appName: name, wants: "use your account", redirectURI: authorization.redirectURI,
            details: authorization.scope.isEmpty ? nil : "<p>Scopes: <code>\(HTML.escape(authorization.scope))</code></p>",
            hiddenFields: authorization.hiddenFields, users: OAuth2ProviderSimulator.users.map { ($0.login, "\($0.name) (@\($0.login))") },
            formAction: prefix + "/authorize", note: "A simulated OAuth2 provider: no real account is used.")
        return Self.page(title: "Authorize", body: body)
    }

    func errorPage(_ message: String) -> String {
        Self.page(title: "Authorization failed", body: ConsentPage.error(message))
    }

    func allow(_ authorization: OAuth2AuthorizeRequest, user: String?, echoing state: [(String, String)]) -> String? {
        guard let user, OAuth2ProviderSimulator.users.contains(where: { $0.login == user }) else { return nil }
        let code = simulator.issueCode(
            OAuth2ProviderSimulator.Grant(
                user: user, redirectURI: authorization.redirectURI, challenge: authorization.challenge, scope: authorization.scope))
        return authorization.redirect(query: [("code", code)] + state)
    }

    static func page(title: String, body: String) -> String {
        HTML.document(
            title: title, site: "OAuth2 Provider Simulator", header: "<header>OAuth2 Provider Simulator</header>", body: body,
            style: HTML.style(background: "#f4f5f7", text: "#1f2430", accent: "#4a5568", border: "#9aa3b2", muted: "#5b6472"))
    }
}
