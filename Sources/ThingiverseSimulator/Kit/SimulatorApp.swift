/// An app registered with a simulated OAuth provider (Thingiverse's "Web" app with a callback
/// URL, a Flattr client with one redirect URI).
public struct SimulatorApp: Sendable, Equatable {
    /// Shown on the authorization page: "Authorize NAME?".
    public var name: String
    /// The public client id sent in `client_id` (and as Flattr's HTTP Basic user name).
    public var clientID: String
    /// The secret the app's backend sends to the token endpoint (Flattr: as the Basic password).
    public var clientSecret: String
    /// The registered callback; a `redirect_uri` given at authorize time must equal it exactly.
    public var redirectURI: String
    /// The app's webhook URL (Thingiverse's app edit page): `PATCH /orders/{id}` sends the
    /// matching order event there. `nil` sends none; Flattr sends no webhooks.
    public var webhookURL: String?

    /// Registers an app.
    /// - Parameter webhookURL: where order webhooks go, or `nil` for none
    public init(name: String, clientID: String, clientSecret: String, redirectURI: String, webhookURL: String? = nil) {
        self.name = name
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.redirectURI = redirectURI
        self.webhookURL = webhookURL
    }
}

extension String {
    var droppingTrailingSlashes: String {
        var result = self
        while result.hasSuffix("/") { result.removeLast() }
        return result
    }
}
