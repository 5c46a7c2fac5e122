/// Everything a `FlattrSimulator` needs to know before it starts: where it is reachable,
/// which apps are registered, and the limits it enforces.
public struct FlattrSimulatorConfiguration: OAuthProviderConfiguration {
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
}

/// An app registered with the simulated Flattr: the same as one registered with Thingiverse
/// (Flattr sends no webhooks).
public typealias FlattrSimulatorApp = SimulatorApp
