import AsyncHTTPClient

/// Thingiverse as ThingBridge uses it: sign-in (code and token flows, tokeninfo), the REST
/// API's allow-list and budget, and order lookups for webhook confirmation. Every call leaves
/// through one ``UpstreamClient``.
public struct ThingiverseProvider: Sendable {
    public let settings: ThingBridgeConfiguration.Thingiverse
    public let upstream: UpstreamClient
    public let signIn: ThingiverseSignIn

    /// - Parameter pool: connections for the proxy's fast path (nil: every request takes the async path).
    init(settings: ThingBridgeConfiguration.Thingiverse, httpClient: HTTPClient, timeout: Duration, pool: UpstreamConnectionPool? = nil) {
        self.settings = settings
        self.upstream = UpstreamClient(httpClient: httpClient, timeout: timeout, provider: ProviderID.thingiverse.displayName, pool: pool)
        self.signIn = ThingiverseSignIn(
            upstream: upstream, webURL: settings.webURL, apiURL: settings.apiURL, clientID: settings.clientID,
            clientSecret: settings.clientSecret)
    }

    /// The proxy's view: the REST API, browsers' own tokens accepted when tokeninfo says they are ours.
    public func proxyTarget(rateLimit: ThingBridgeConfiguration.RateLimit) -> ProxyTarget {
        ProxyTarget(
            provider: .thingiverse, upstream: upstream, apiURL: settings.apiURL, allowList: .thingiverse,
            budget: ProxyBudget(limit: rateLimit.count, window: .seconds(rateLimit.seconds)),
            identity: .personalToken(bearerVerifier: BearerTokenVerifier(account: signIn, clientID: settings.clientID)))
    }

    /// Looks orders up with the app token, when one is configured.
    public var orderLookup: ThingiverseOrderLookup? {
        settings.appToken.map { ThingiverseOrderLookup(upstream: upstream, apiURL: settings.apiURL, token: $0) }
    }
}
