/// Everything a `FlattrSimulator` needs to know before it starts: where it is reachable,
/// which apps are registered, and the limits it enforces.
public struct FlattrSimulatorConfiguration: Sendable {
    /// Absolute URL of the web host, without a trailing slash (the stand-in for
    /// `https://flattr.com`), e.g. `http://127.0.0.1:8080/sim/flattr`. The OAuth pages, the
    /// `link` of users and things, avatars and thing images live here.
    public var webBaseURL: String
    /// Absolute URL of the REST API v2, without a trailing slash (the stand-in for
    /// `https://api.flattr.com/rest/v2`), e.g. `http://127.0.0.1:8080/sim/flattr/api`.
    /// Used in `resource` fields and the `Location` of a lookup.
    public var apiBaseURL: String
    /// The registered apps.
    public var apps: [FlattrSimulatorApp]
    /// API requests allowed per token in each `rateWindow` (Flattr announced 5000 an hour).
    public var rateLimit: Int = 5000
    /// Length of the fixed rate-limit window.
    public var rateWindow: Duration = .seconds(3600)
    /// How long an authorization code can be exchanged for a token.
    public var codeLifetime: Duration = .seconds(60)

    /// Creates a configuration with Flattr's own limits.
    /// - Parameters:
    ///   - webBaseURL: absolute URL of the web host (a trailing slash is removed)
    ///   - apiBaseURL: absolute URL of the REST API (a trailing slash is removed)
    ///   - apps: the registered apps
    public init(webBaseURL: String, apiBaseURL: String, apps: [FlattrSimulatorApp]) {
        self.webBaseURL = webBaseURL.droppingTrailingSlashes
        self.apiBaseURL = apiBaseURL.droppingTrailingSlashes
        self.apps = apps
    }

    /// The registered app with this client id, if any.
    func app(clientID: String) -> FlattrSimulatorApp? {
        self.apps.first { $0.clientID == clientID }
    }

    /// `webBaseURL` without trailing slashes, even if it was changed after `init`.
    var web: String { self.webBaseURL.droppingTrailingSlashes }
    /// `apiBaseURL` without trailing slashes, even if it was changed after `init`.
    var api: String { self.apiBaseURL.droppingTrailingSlashes }
}

/// An app registered with the simulated Flattr (a client with one redirect URI).
public struct FlattrSimulatorApp: Sendable, Equatable {
    /// Shown on the authorization page: "Authorize NAME on Flattr?".
    public var name: String
    /// The public client id sent in `client_id` and as the HTTP Basic user name.
    public var clientID: String
    /// The secret the app's backend sends as the HTTP Basic password to `/oauth/token`.
    public var clientSecret: String
    /// The registered redirect URI; a `redirect_uri` given at authorize time must equal it exactly.
    public var redirectURI: String

    /// Registers an app.
    public init(name: String, clientID: String, clientSecret: String, redirectURI: String) {
        self.name = name
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.redirectURI = redirectURI
    }
}
