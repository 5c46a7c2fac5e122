/// A validated request to `/oauth/authorize`: the app is registered, the redirect URI is the
/// registered one, the response type is `code` and every scope is known. Built from the query
/// (the page) and again from the form (the decision), so hidden fields are never trusted.
struct FlattrAuthorizeRequest: AuthorizationRedirect {
    var app: FlattrSimulatorApp
    /// The given `redirect_uri`, or the registered one when none was given.
    var redirectURI: String
    var redirectURIWasGiven: Bool
    var scopes: FlattrScopes
    var state: String?

    /// Validates the OAuth parameters against the registered apps.
    init(parameters: [String: String], configuration: FlattrSimulatorConfiguration) throws(AuthorizationRefusal) {
        guard let clientID = parameters["client_id"], !clientID.isEmpty else {
            throw AuthorizationRefusal(message: "The request has no client_id. Apps must send the client id they registered.")
        }
        guard let app = configuration.app(clientID: clientID) else {
            throw AuthorizationRefusal(message: "No app is registered with the client_id \"\(clientID)\".")
        }
        if let given = parameters["redirect_uri"], !given.isEmpty {
            guard given == app.redirectURI else {
                throw AuthorizationRefusal(message: "The redirect_uri \"\(given)\" is not the redirect URI registered for this app.")
            }
            self.redirectURI = given
            self.redirectURIWasGiven = true
        } else {
            self.redirectURI = app.redirectURI
            self.redirectURIWasGiven = false
        }
        switch parameters["response_type"].flatMap({ $0.isEmpty ? nil : $0 }) {
        case "code": break
        case let type?: throw AuthorizationRefusal(message: "The response_type \"\(type)\" is not supported; Flattr only knows \"code\".")
        case nil: throw AuthorizationRefusal(message: "The request has no response_type; send response_type=code.")
        }
        self.scopes = try FlattrScopes.parse(parameters["scope"])
        self.app = app
        self.state = parameters["state"]
    }

    /// The OAuth parameters to carry through the page's form, so the decision can re-validate.
    var formFields: [(String, String)] {
        var fields: [(String, String)] = [("client_id", app.clientID), ("response_type", "code")]
        if redirectURIWasGiven {
            fields.append(("redirect_uri", redirectURI))
        }
        fields.append(("scope", scopes.text))
        if let state {
            fields.append(("state", state))
        }
        return fields
    }

    /// The redirect URI with `pairs` added to its query (keeping any query it already has).
    func redirect(query pairs: [(String, String)]) -> String {
        redirectURI.addingQuery(pairs)
    }
}
