import AsyncHTTPClient
import Tracing

/// A standard OAuth2 provider described by settings alone (``ConfiguredProviderSettings``):
/// sign-in with the code flow (PKCE, Basic or form client authentication, the account from a
/// user-info endpoint), token refresh, and the proxy under its allow-list and budget. No Swift
/// code names any such provider: this one type serves them all.
public struct ConfiguredProvider: Sendable {
    /// What a provider does that the standard leaves open; code exists for these alone.
    public struct Quirks: Sendable {
        /// Allow-list parameters that are text rather than numbers (configured providers: `{name}`).
        var textParameters: Set<String> = ["name"]
        /// A browser's `PATCH` goes up as `POST` with `_method=patch` (Flattr's documented workaround).
        var sendsPatchAsPost = false

        public static let none = Quirks()
    }

    public let settings: ConfiguredProviderSettings
    let quirks: Quirks
    public let upstream: UpstreamClient
    public let configuredSignIn: ConfiguredSignIn
    /// Keeps expiring tokens fresh for the proxy.
    public let refresher: TokenRefresher

    /// - Parameters:
    ///   - pool: connections for the proxy's fast path (nil: every request takes the async path).
    ///   - database: where refreshed accounts are recorded for other instances.
    ///   - codec: seals those records with the session key.
    ///   - tracer: a span per call when tracing is on.
    init(
        settings: ConfiguredProviderSettings, quirks: Quirks = .none, httpClient: HTTPClient, timeout: Duration, pool: UpstreamConnectionPool?,
        database: Database, codec: SessionCookieCodec, tracer: (any Tracer)? = nil
    ) {
        self.settings = settings
        self.quirks = quirks
        self.upstream = UpstreamClient(httpClient: httpClient, timeout: timeout, provider: settings.id.displayName, pool: pool, tracer: tracer)
        let signIn = ConfiguredSignIn(settings: settings, upstream: upstream)
        self.configuredSignIn = signIn
        self.refresher = TokenRefresher(provider: settings.id, database: database, codec: codec) { refreshToken in
            try await signIn.tokenEndpoint.refresh(refreshToken)
        }
    }

    /// The proxy's view, when the provider has an API: the person's own token from the session.
    public var proxyTarget: ProxyTarget? {
        guard let apiURL = settings.apiURL else { return nil }
        return ProxyTarget(
            provider: settings.id, upstream: upstream, apiURL: apiURL,
            allowList: EndpointAllowList(settings.allowList, textParameters: quirks.textParameters),
            budget: ProxyBudget(limit: settings.rateLimit.count, window: .seconds(settings.rateLimit.seconds)),
            identity: .personalToken(bearerVerifier: nil), sendsPatchAsPost: quirks.sendsPatchAsPost, refresher: refresher)
    }
}

extension ConfiguredProvider {
    /// A provider with these settings, built from what the composition root shares.
    init(settings: ConfiguredProviderSettings, quirks: Quirks = .none, services: ProviderServices) {
        self.init(
            settings: settings, quirks: quirks, httpClient: services.httpClient, timeout: services.timeout, pool: services.pool,
            database: services.database, codec: services.codec, tracer: services.tracer)
    }

    /// The standard OAuth2 providers from settings alone (`THINGBRIDGE_PROVIDERS`), in the listed
    /// order; in development, one without settings runs against the generic OAuth2 simulator.
    static func buildAll(_ services: ProviderServices) -> [ConfiguredProvider] {
        services.configuration.configuredProviders.map { provider in
            ConfiguredProvider(settings: services.development?.configuredProvider(provider) ?? provider, services: services)
        }
    }
}
