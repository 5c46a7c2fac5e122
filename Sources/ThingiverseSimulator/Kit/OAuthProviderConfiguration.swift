/// What the configuration of a simulated OAuth provider has: where its web host (the OAuth
/// pages) and its API are reached, the registered apps and the limits it enforces.
protocol OAuthProviderConfiguration: Sendable {
    /// Absolute URL of the web host, without a trailing slash.
    var webBaseURL: String { get set }
    /// Absolute URL of the REST API, without a trailing slash.
    var apiBaseURL: String { get set }
    var apps: [SimulatorApp] { get }
    /// API requests allowed per token in each `rateWindow`.
    var rateLimit: Int { get }
    /// Length of the fixed rate-limit window.
    var rateWindow: Duration { get }
    /// How long an authorization code can be exchanged for a token.
    var codeLifetime: Duration { get }
}

extension OAuthProviderConfiguration {
    /// The registered app with this client id, if any.
    func app(clientID: String) -> SimulatorApp? {
        apps.first { $0.clientID == clientID }
    }

    /// `webBaseURL` without trailing slashes, even if it was changed after `init`.
    var web: String { webBaseURL.droppingTrailingSlashes }
    /// `apiBaseURL` without trailing slashes, even if it was changed after `init`.
    var api: String { apiBaseURL.droppingTrailingSlashes }

    /// Where a simulator started on port 0 is reached, once it listens.
    mutating func setBaseURLs(web: String, api: String) {
        webBaseURL = web.droppingTrailingSlashes
        apiBaseURL = api.droppingTrailingSlashes
    }
}
