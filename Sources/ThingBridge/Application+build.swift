import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import Prometheus

/// A built ThingBridge: the Hummingbird application plus what the CLI prints and tests inspect.
public struct ThingBridgeServer: Sendable {
    public let application: Application<RouterResponder<AppRequestContext>>
    public let database: Database
    /// The webhook URL secrets in force (generated ones in development).
    public let webhookSecrets: [Secret]
    /// Lines for a person starting the server (development mode banner, the webhook URL).
    public let startupNotes: [String]
    /// The background service confirming webhook orders, when an app token is set.
    public let orderConfirmer: OrderConfirmer?
    /// The background service relaying stored events to the app's own services.
    public let relay: RelayDispatcher
    /// The sessions ended by logout or unlink, as this instance knows them.
    public let revocations: SessionRevocations
    /// The providers added by settings alone, in the listed order.
    public let configuredProviders: [ConfiguredProvider]
    /// Every route, as `METHOD /path` with Hummingbird's `:parameter` and `**` syntax.
    public let routes: [String]
}

/// The composition root: creates the shared things (database, HTTP client, keys), builds the
/// router and hands each controller exactly what it needs. Nothing else reads configuration.
///
/// - Parameters:
///   - configuration: validated settings.
///   - logger: the application's logger (its level already set).
///   - registry: where metrics are registered and served from `/metrics`.
///   - development: the simulators standing in for providers without credentials (development
///     mode); the targets that link them pass `ThingBridgeDevelopment`'s `DevelopmentSimulators`.
public func buildApplication(
    configuration: ThingBridgeConfiguration,
    logger: Logger,
    registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
    development: (any DevelopmentEnvironment)? = nil
) async throws -> ThingBridgeServer {
    guard let thingiverseSettings = configuration.thingiverse ?? development?.thingiverse else {
        throw ConfigurationError(
            setting: "THINGIVERSE_CLIENT_ID",
            problem: "is not set, and no development simulators were given to stand in (the thingbridge command gives them).")
    }
    var notes: [String] = []
    let developmentSecrets = try developmentSecretsIfNeeded(configuration)
    let webhookSecrets = configuration.webhookSecrets ?? [Secret(developmentSecrets!.webhookSecret)]

    let database = try await Database.open(configuration.database, groupCommit: configuration.webhookGroupCommit, logger: logger)
    do {
        try await Migrator(database: database).migrate()
    } catch {
        await database.shutdown()
        throw error
    }
    let httpClient = HTTPClientService.makeClient(upstreamTimeout: configuration.upstreamTimeout, connectTimeout: configuration.connectTimeout)
    let upstreamTimeout = Duration.seconds(configuration.upstreamTimeout)
    // The proxy's fast path: keep-alive connections per event loop under the providers' UpstreamClients.
    let upstreamPool =
        configuration.proxyFastPath
        ? UpstreamConnectionPool(connectTimeout: .seconds(Int64(configuration.connectTimeout)), readTimeout: .seconds(Int64(configuration.upstreamTimeout)))
        : nil

    let sessionKeys = configuration.sessionKeys ?? [Secret(developmentSecrets!.sessionKey)]
    // Ended sessions are checked in memory: load them before the first request is served.
    let revocations = SessionRevocations(database: database)
    do {
        try await revocations.catchUp()
    } catch {
        await database.shutdown()
        throw error
    }
    let revocationSync = RevocationSync(revocations: revocations, interval: .seconds(configuration.revocationCatchup), logger: logger)
    let codec = SessionCookieCodec(keys: sessionKeys)
    let cookies = SessionCookies(codec: codec, revocations: revocations, secure: configuration.isHTTPS)

    // The providers, each real or (in development, without credentials) its simulator.
    let thingiverse = ThingiverseProvider(settings: thingiverseSettings, httpClient: httpClient, timeout: upstreamTimeout, pool: upstreamPool)
    let flattr = (configuration.flattr ?? development?.flattr).map {
        ConfiguredProvider(
            settings: FlattrProvider.settings($0, scopes: configuration.flattrScopes, rateLimit: configuration.flattrRateLimit),
            quirks: FlattrProvider.quirks, httpClient: httpClient, timeout: upstreamTimeout, pool: upstreamPool, database: database, codec: codec)
    }
    let userecho = (configuration.userecho ?? development?.userecho).map {
        UserEchoProvider(settings: $0, httpClient: httpClient, timeout: upstreamTimeout)
    }
    // Standard OAuth2 providers from settings alone (THINGBRIDGE_PROVIDERS); in development, one
    // without settings runs against the generic OAuth2 simulator.
    let configured = configuration.configuredProviders.map { provider in
        ConfiguredProvider(
            settings: development?.configuredProvider(provider) ?? provider, httpClient: httpClient, timeout: upstreamTimeout, pool: upstreamPool,
            database: database, codec: codec)
    }
    notes += development?.notes ?? []
    if configuration.webhookSecrets == nil {
        notes.append("Development webhook URL: \(configuration.publicURL)/webhooks/thingiverse/\(webhookSecrets[0].value)")
    }

    let routeIndex = RouteIndex()
    let router = Router(context: AppRequestContext.self)
    let proxyMetrics = ProxyMetrics(registry: registry)
    let httpMetrics = HTTPMetrics(registry: registry)
    let securityHeaders = SecurityHeadersMiddleware<AppRequestContext>()
    router.add(middleware: RequestTelemetryMiddleware(metrics: httpMetrics))
    // Outside the error middleware, so that error answers to allowed origins carry CORS headers too.
    router.add(middleware: CORSMiddleware(allowedOrigins: configuration.corsOrigins, metrics: proxyMetrics))
    router.add(middleware: securityHeaders)
    router.add(middleware: ErrorMiddleware(routeIndex: routeIndex))
    router.add(middleware: StaticFilesMiddleware(directory: configuration.publicDirectory, logger: logger))
    router.addRoutes(OperationsController(database: database, registry: registry).endpoints)
    let signInProviders: [any SignInProvider] = [thingiverse.signIn] + ((flattr.map { [$0] } ?? []) + configured).map(\.signIn)
    router.addRoutes(
        SignInController(
            providers: signInProviders, cookies: cookies, publicURL: configuration.publicURL, forumPath: userecho?.sso == nil ? nil : "/sso/userecho"
        ) { session in
            userecho?.logOut(session, logger: logger)
        }.endpoints,
        atPath: "/auth")
    // `/api/...` stays Thingiverse's; every provider also answers at `/api/{provider}/...`.
    let thingiverseTarget = thingiverse.proxyTarget(rateLimit: configuration.rateLimit)
    var proxies: [(path: String, target: ProxyTarget)] = [("/api/thingiverse", thingiverseTarget), ("/api", thingiverseTarget)]
    for provider in (flattr.map { [$0] } ?? []) + configured {
        if let target = provider.proxyTarget {
            proxies.insert(("/api/" + provider.settings.id.rawValue, target), at: 0)
        }
    }
    if let userecho {
        proxies.insert(("/api/userecho", userecho.proxyTarget()), at: 0)
        if let sso = userecho.sso {
            router.addRoutes(
                SingleSignOnController<AppRequestContext>(cookies: cookies, sso: sso, forumURL: userecho.settings.url).endpoints, atPath: "/sso")
        }
    }
    var proxyControllers: [ProxyController<AppRequestContext>] = []
    for (path, target) in proxies {
        let proxy = ProxyController<AppRequestContext>(
            target: target, cookies: cookies, mountPath: path, publicURL: configuration.publicURL,
            corsOrigins: configuration.corsOrigins, metrics: proxyMetrics)
        router.addRoutes(proxy.endpoints, atPath: RouterPath(path))
        proxyControllers.append(proxy)
    }
    let serverName = "ThingBridge"
    let fastRoutes = ProxyFastRoutes(
        proxies: proxyControllers, corsOrigins: configuration.corsOrigins, httpMetrics: httpMetrics, proxyMetrics: proxyMetrics,
        securityHeaders: securityHeaders, logger: logger, serverName: serverName)
    // The simulators below `/sim/`, and with a simulated Thingiverse the `/dev/` helpers.
    development?.mount(
        on: router,
        wiring: DevelopmentWiring(
            thingiverseWebhookURL: configuration.publicURL + "/webhooks/thingiverse/" + webhookSecrets[0].value,
            publicOrigin: ThingBridgeConfiguration.origin(configuration.publicURL) ?? configuration.publicURL,
            httpClient: httpClient))
    if development?.thingiverse == nil {
        // Pages ask whether to show the development banner; outside development the answer is no.
        router.get("/dev/info") { _, _ in DevelopmentStatus(development: false) }
    }

    // Order webhooks, their confirmation against the API, and the admin API (issue 5).
    let eventStore = SQLWebhookEventStore(database: database, batching: configuration.webhookGroupCommit)
    // Every new event is relayed to the app's own services from the outbox its commit fills.
    let relayStore = SQLRelayStore(database: database)
    try await relayStore.syncConfigured(urls: configuration.relayEndpoints)
    let relay = try RelayDispatcher(
        store: relayStore, httpClient: httpClient, configuredSecrets: configuration.relaySecrets,
        retrySchedule: configuration.relayRetrySchedule, metrics: RelayMetrics(registry: registry), logger: logger)
    // Old rows go in small batches, in the background (THINGBRIDGE_RETENTION_*).
    let retention = RetentionService(store: SQLRetentionStore(database: database), policy: configuration.retention, logger: logger)
    let orderConfirmer = thingiverse.orderLookup.map { lookup in
        OrderConfirmer(store: eventStore, lookup: lookup, logger: logger)
    }
    router.addRoutes(
        WebhookController(
            secrets: webhookSecrets, store: eventStore, confirmsOrders: orderConfirmer != nil,
            eventAwaitsConfirmation: { orderConfirmer?.eventAwaitsConfirmation() }, newEventStored: { relay.deliveriesQueued() }
        ).endpoints
    )
    // UserEcho's hooks go to the same event log.
    if userecho != nil {
        let secrets = configuration.userechoWebhookSecrets ?? [Secret(developmentSecrets?.userechoWebhookSecret ?? randomToken(bytes: 24))]
        let hookURL = configuration.publicURL + "/webhooks/userecho/" + secrets[0].value
        if configuration.userechoWebhookSecrets == nil {
            notes.append("Development UserEcho hook URL: \(hookURL)")
        }
        // The built-in forum tells ThingBridge about new topics and comments, as a real one
        // would after `thingbridge userecho hooks sync`.
        development?.sendForumHooks(to: hookURL)
        router.addRoutes(
            UserEchoHookController<AppRequestContext>(
                secrets: WebhookSecretSet(secrets), signature: userecho?.settings.webhookKey.map(UserEchoSignature.init), store: eventStore,
                newEventStored: { relay.deliveriesQueued() }
            ).endpoints)
    }
    let adminCheck = SessionAdminCheck(cookies: cookies, adminUsers: configuration.adminUsers, developmentWithSimulator: development?.thingiverse != nil)
    let adminGuard = AdminGuard(token: configuration.adminToken, sessionCheck: adminCheck, sameOrigin: SameOriginPolicy(publicURL: configuration.publicURL))
    router.addRoutes(AdminController(store: eventStore, guard: adminGuard).endpoints)
    router.addRoutes(RelayAdminController<AppRequestContext>(store: relayStore, guard: adminGuard) { relay.endpointsChanged() }.endpoints)

    let routes = router.routes.map { (path: $0.path.description, method: $0.method) }
    routeIndex.record(routes)

    // With the fast path, its connection-state handler (idle timeout, graceful close) sits before
    // it so that it sees every request; Hummingbird's own then has no timeout of its own.
    let idleTimeout = Duration.seconds(configuration.idleTimeout)
    let server: HTTPServerBuilder =
        upstreamPool == nil
        ? .http1(configuration: .init(idleTimeout: .seconds(Int64(configuration.idleTimeout))))
        : .http1(
            configuration: .init(
                additionalChannelHandlers: [HTTPConnectionStateHandler(idleTimeout: idleTimeout, logger: logger), ProxyFastPath(routes: fastRoutes)],
                idleTimeout: nil))
    let application = Application(
        router: router,
        server: server,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: serverName),
        // Stopped in reverse order after the server has drained: the relay and the order
        // confirmer (attempts under way finish), the HTTP client, then the database.
        services: [DatabaseService(database: database), revocationSync, HTTPClientService(client: httpClient), relay, retention] + (orderConfirmer.map { [$0] } ?? [])
            + (development?.services ?? []),
        logger: logger
    )
    return ThingBridgeServer(
        application: application, database: database, webhookSecrets: webhookSecrets, startupNotes: notes,
        orderConfirmer: orderConfirmer, relay: relay,
        revocations: revocations, configuredProviders: configured,
        routes: routes.map { "\($0.method.rawValue) \($0.path)" }.sorted()
    )
}

/// Generated secrets for whatever development mode leaves unset.
private func developmentSecretsIfNeeded(_ configuration: ThingBridgeConfiguration) throws -> DevelopmentSecrets.Stored? {
    let userechoNeedsOne = configuration.userechoWebhookSecrets == nil && (configuration.userecho != nil || configuration.usesUserEchoSimulator)
    guard configuration.sessionKeys == nil || configuration.webhookSecrets == nil || userechoNeedsOne else { return nil }
    if case .sqlite(":memory:") = configuration.database {
        return DevelopmentSecrets.make()
    }
    return try DevelopmentSecrets.loadOrCreate(in: configuration.dataDirectory)
}
