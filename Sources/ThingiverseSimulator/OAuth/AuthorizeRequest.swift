/// A validated request to `/login/oauth/authorize`: the app is registered, the redirect URI is
/// the registered one and the response type is known. Built from the query (the page) and
/// again from the form (the decision), so hidden fields are never trusted.
struct AuthorizeRequest: AuthorizationRedirect {
    /// Which OAuth flow the app asked for.
    enum ResponseType: String, Sendable {
        case code
        case token
    }

    /// Why an authorization request cannot be shown; each case reads well on an HTML page.
    enum Failure: AuthorizationFailure, Equatable {
        case missingClientID
        case unknownClient(String)
        case redirectMismatch(given: String)
        case unsupportedResponseType(String)

        var message: String {
            switch self {
            case .missingClientID:
                return "The request has no client_id. Apps must send the Client ID they registered."
            case .unknownClient(let clientID):
                return "No app is registered with the client_id \"\(clientID)\"."
            case .redirectMismatch(let given):
                return "The redirect_uri \"\(given)\" is not the callback URL registered for this app."
            case .unsupportedResponseType(let type):
                return "The response_type \"\(type)\" is not supported; use \"code\" or \"token\"."
            }
        }
    }

    var app: SimulatorApp
    /// The given `redirect_uri`, or the registered one when none was given.
    var redirectURI: String
    var responseType: ResponseType
    var state: String?

    /// Validates the OAuth parameters against the registered apps.
    init(parameters: [String: String], configuration: SimulatorConfiguration) throws(Failure) {
        guard let clientID = parameters["client_id"], !clientID.isEmpty else { throw .missingClientID }
        guard let app = configuration.app(clientID: clientID) else { throw .unknownClient(clientID) }
        let redirectURI: String
        if let given = parameters["redirect_uri"], !given.isEmpty {
            guard given == app.redirectURI else { throw .redirectMismatch(given: given) }
            redirectURI = given
        } else {
            redirectURI = app.redirectURI
        }
        let typeName = parameters["response_type"].flatMap { $0.isEmpty ? nil : $0 } ?? "code"
        guard let responseType = ResponseType(rawValue: typeName) else { throw .unsupportedResponseType(typeName) }
        self.app = app
        self.redirectURI = redirectURI
        self.responseType = responseType
        self.state = parameters["state"]
    }

    /// The callback URL with `pairs` added to its query (keeping any query it already has).
    func redirect(query pairs: [(String, String)]) -> String {
        redirectURI.addingQuery(pairs)
    }

    /// The callback URL with `pairs` as its fragment (replacing any fragment it had).
    func redirect(fragment pairs: [(String, String)]) -> String {
        redirectURI.splitFragment.base + "#" + FormEncoding.encode(pairs)
    }
}
