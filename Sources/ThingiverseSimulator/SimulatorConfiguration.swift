/// Everything a `ThingiverseSimulator` needs to know before it starts: where it is reachable,
/// which apps are registered, and the limits it enforces.
public struct SimulatorConfiguration: OAuthProviderConfiguration {
    /// Absolute URL where the OAuth pages live, without a trailing slash
    /// (the stand-in for `https://www.thingiverse.com`), e.g. `http://127.0.0.1:8080/sim`.
    public var webBaseURL: String
    /// Absolute URL of the REST API, without a trailing slash (the stand-in for
    /// `https://api.thingiverse.com`), e.g. `http://127.0.0.1:8080/sim/api`.
    /// Used in `Link` headers, `url` fields and image URLs.
    public var apiBaseURL: String
    /// The registered apps; each gets a few seeded orders.
    public var apps: [SimulatorApp]
    /// API requests allowed per token in each `rateWindow` (Thingiverse: 300 per 5 minutes).
    public var rateLimit: Int = 300
    /// Length of the fixed rate-limit window.
    public var rateWindow: Duration = .seconds(300)
    /// How long an authorization code can be exchanged for a token.
    public var codeLifetime: Duration = .seconds(60)

    /// Creates a configuration with Thingiverse's own limits.
    /// - Parameters:
    ///   - webBaseURL: absolute URL of the OAuth pages (a trailing slash is removed)
    ///   - apiBaseURL: absolute URL of the REST API (a trailing slash is removed)
    ///   - apps: the registered apps
    public init(webBaseURL: String, apiBaseURL: String, apps: [SimulatorApp]) {
        self.webBaseURL = webBaseURL.droppingTrailingSlashes
        self.apiBaseURL = apiBaseURL.droppingTrailingSlashes
        self.apps = apps
    }
}

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
