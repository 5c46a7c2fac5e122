import AsyncHTTPClient
import Hummingbird
import Logging
import Tracing

/// Thingiverse as ThingBridge uses it: sign-in (code and token flows, tokeninfo), the REST
/// API's allow-list and budget, its order webhooks, and order lookups that confirm them. Every
/// call leaves through one ``UpstreamClient``.
public struct ThingiverseProvider: Provider {
    public let settings: ThingBridgeConfiguration.Thingiverse
    public let upstream: UpstreamClient
    public let thingiverseSignIn: ThingiverseSignIn
    let rateLimit: ThingBridgeConfiguration.RateLimit
    /// The webhook URL secrets in force (`/webhooks/thingiverse/SECRET`).
    let webhookSecrets: [Secret]
    /// Whether they were generated for development (the URL is printed at start).
    let webhookSecretsGenerated: Bool
    /// Its orders, as its projection of the event log keeps them.
    public let orderStore: SQLOrderStore
    /// Confirms webhook orders with the app token, when one is configured.
    public let orderConfirmer: OrderConfirmer?

    /// - Parameters:
    ///   - pool: connections for the proxy's fast path (nil: every request takes the async path).
    ///   - database: where its orders are kept and confirmed.
    ///   - tracer: a span per call when tracing is on.
    init(
        settings: ThingBridgeConfiguration.Thingiverse, rateLimit: ThingBridgeConfiguration.RateLimit, webhookSecrets: [Secret],
        webhookSecretsGenerated: Bool, httpClient: HTTPClient, timeout: Duration, pool: UpstreamConnectionPool? = nil,
        database: Database, logger: Logger, tracer: (any Tracer)? = nil
    ) {
        self.settings = settings
        self.rateLimit = rateLimit
        self.webhookSecrets = webhookSecrets
        self.webhookSecretsGenerated = webhookSecretsGenerated
        let upstream = UpstreamClient(
            httpClient: httpClient, timeout: timeout, provider: ProviderID.thingiverse.displayName, pool: pool, tracer: tracer)
        self.upstream = upstream
        self.thingiverseSignIn = ThingiverseSignIn(
            upstream: upstream, webURL: settings.webURL, apiURL: settings.apiURL, clientID: settings.clientID,
            clientSecret: settings.clientSecret)
        let orderStore = SQLOrderStore(database: database)
        self.orderStore = orderStore
        self.orderConfirmer = settings.appToken.map { token in
            OrderConfirmer(
                store: orderStore, lookup: ThingiverseOrderLookup(upstream: upstream, apiURL: settings.apiURL, token: token), logger: logger)
        }
    }

    public var id: ProviderID { .thingiverse }
    public var signIn: (any SignInProvider)? { thingiverseSignIn }

    /// `/api/...` stays Thingiverse's, as in the first release; `/api/thingiverse/...` too.
    public var proxies: [(path: String, target: ProxyTarget)] {
        let target = proxyTarget
        return [("/api/thingiverse", target), ("/api", target)]
    }

    /// The proxy's view: the REST API, browsers' own tokens accepted when tokeninfo says they are ours.
    var proxyTarget: ProxyTarget {
        ProxyTarget(
            provider: .thingiverse, upstream: upstream, apiURL: settings.apiURL, allowList: .thingiverse,
            budget: ProxyBudget(limit: rateLimit.count, window: .seconds(rateLimit.seconds)),
            identity: .personalToken(bearerVerifier: BearerTokenVerifier(account: thingiverseSignIn, clientID: settings.clientID)))
    }

    /// Its orders: each order event's row is recomputed in the transaction that stores it.
    public var projections: [any EventProjection] { [OrderProjection(confirmsOrders: orderConfirmer != nil)] }

    /// Order webhooks into the event log, and their confirmation against the API.
    public func mount(on router: Router<AppRequestContext>, with context: ProviderContext) throws -> ProviderMount {
        let confirmer = orderConfirmer
        router.addRoutes(
            WebhookController(
                secrets: webhookSecrets, store: context.eventStore, confirmsOrders: confirmer != nil,
                eventAwaitsConfirmation: { confirmer?.eventAwaitsConfirmation() }, newEventStored: context.newEventStored
            ).endpoints)
        var mount = ProviderMount(services: confirmer.map { [$0] } ?? [])
        if webhookSecretsGenerated {
            mount.notes.append("Development webhook URL: \(webhookURL(publicURL: context.publicURL))")
        }
        return mount
    }

    /// Where Thingiverse sends order webhooks (the URL carries the first secret).
    func webhookURL(publicURL: String) -> String { publicURL + "/webhooks/thingiverse/" + webhookSecrets[0].value }
}
