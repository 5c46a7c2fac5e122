/// Everything a simulated OAuth provider needs to know before it starts: where its web host (the
/// OAuth pages) and its API are reached, which apps are registered, and the limits it enforces.
/// `Limits` are the provider's documented API limits, the defaults.
public struct OAuthProviderConfiguration<Limits: ProviderLimits>: Sendable {
    /// Absolute URL of the web host, without a trailing slash (the stand-in for
    /// `https://www.thingiverse.com` or `https://flattr.com`), e.g. `http://127.0.0.1:8080/sim`.
    /// The OAuth pages (and Flattr's profile and thing pages) live here.
    public var webBaseURL: String
    /// Absolute URL of the REST API, without a trailing slash (the stand-in for
    /// `https://api.thingiverse.com` or `https://api.flattr.com/rest/v2`), e.g.
    /// `http://127.0.0.1:8080/sim/api`. Used in `Link` headers, `url` and `resource` fields.
    public var apiBaseURL: String
    /// The registered apps; each Thingiverse app gets a few seeded orders.
    public var apps: [SimulatorApp]
    /// API requests allowed per token in each `rateWindow`.
    public var rateLimit: Int = Limits.rateLimit
    /// Length of the fixed rate-limit window.
    public var rateWindow: Duration = Limits.rateWindow
    /// How long an authorization code can be exchanged for a token.
    public var codeLifetime: Duration = .seconds(60)

    /// Creates a configuration with the provider's own limits.
    /// - Parameters:
    ///   - webBaseURL: absolute URL of the web host (a trailing slash is removed)
    ///   - apiBaseURL: absolute URL of the REST API (a trailing slash is removed)
    ///   - apps: the registered apps
    public init(webBaseURL: String, apiBaseURL: String, apps: [SimulatorApp]) {
        self.webBaseURL = webBaseURL.droppingTrailingSlashes
        self.apiBaseURL = apiBaseURL.droppingTrailingSlashes
        self.apps = apps
    }

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

/// What writes a simulated OAuth provider's JSON, with absolute URLs on its API and web base URLs.
protocol ProviderPresenter: Sendable {
    init(api: String, web: String)
}

extension ProviderPresenter {
    /// Made per use: the base URLs can be set after start (`setBaseURLs`).
    init<Limits>(configuration: OAuthProviderConfiguration<Limits>) {
        self.init(api: configuration.api, web: configuration.web)
    }
}

/// A simulated OAuth provider's documented API limits, its configuration's defaults.
public protocol ProviderLimits: Sendable {
    static var rateLimit: Int { get }
    static var rateWindow: Duration { get }
}

/// Thingiverse: 300 API requests per token every 5 minutes.
public enum ThingiverseLimits: ProviderLimits {
    public static let rateLimit = 300
    public static let rateWindow = Duration.seconds(300)
}

/// Flattr: 5000 API requests per token an hour, as it announced.
public enum FlattrLimits: ProviderLimits {
    public static let rateLimit = 5000
    public static let rateWindow = Duration.seconds(3600)
}

/// Everything a `ThingiverseSimulator` needs to know before it starts.
public typealias SimulatorConfiguration = OAuthProviderConfiguration<ThingiverseLimits>
/// Everything a `FlattrSimulator` needs to know before it starts.
public typealias FlattrSimulatorConfiguration = OAuthProviderConfiguration<FlattrLimits>

/// An app registered with the simulated Flattr: the same as one registered with Thingiverse
/// (Flattr sends no webhooks).
public typealias FlattrSimulatorApp = SimulatorApp
