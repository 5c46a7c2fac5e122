import AsyncHTTPClient

/// Flattr as ThingBridge uses it: a second OAuth2 sign-in (HTTP Basic client authentication,
/// a JSON token reply, the account from `GET /user`) and the REST API v2 with its own budget
/// and its `PATCH` workaround.
///
/// Flattr closed in 2024; this profile is also the template for any standard OAuth2 provider:
/// copy the folder, change the URLs, the allow-list and how the account is read.
public struct FlattrProvider: Sendable {
    public let settings: ThingBridgeConfiguration.Flattr
    public let upstream: UpstreamClient
    public let signIn: FlattrSignIn

    /// - Parameter pool: connections for the proxy's fast path (nil: every request takes the async path).
    init(settings: ThingBridgeConfiguration.Flattr, scopes: [String], httpClient: HTTPClient, timeout: Duration, pool: UpstreamConnectionPool? = nil) {
        self.settings = settings
        self.upstream = UpstreamClient(httpClient: httpClient, timeout: timeout, provider: ProviderID.flattr.displayName, pool: pool)
        self.signIn = FlattrSignIn(
            upstream: upstream, webURL: settings.webURL, apiURL: settings.apiURL, clientID: settings.clientID,
            clientSecret: settings.clientSecret, scopes: scopes)
    }

    /// The proxy's view: sessions only (Flattr cannot say which app a token is for).
    public func proxyTarget(rateLimit: ThingBridgeConfiguration.RateLimit) -> ProxyTarget {
        ProxyTarget(
            provider: .flattr, upstream: upstream, apiURL: settings.apiURL, allowList: .flattr,
            budget: ProxyBudget(limit: rateLimit.count, window: .seconds(rateLimit.seconds)),
            identity: .personalToken(bearerVerifier: nil), sendsPatchAsPost: true)
    }
}
