import AsyncHTTPClient
import Hummingbird
import Logging
import Prometheus
import Tracing

/// The shared things the routes use, made once by
/// ``buildApplication(configuration:logger:registry:development:tracer:)``.
struct RouterServices: Sendable {
    let configuration: ThingBridgeConfiguration
    let database: Database
    let cookies: SessionCookies
    let providers: [any Provider]
    let eventStore: SQLWebhookEventStore
    let orderStore: SQLOrderStore
    let relayStore: SQLRelayStore
    let relay: RelayDispatcher
    /// Where Thingiverse sends order webhooks (development mode points its simulator there).
    let thingiverseWebhookURL: String
    let httpClient: HTTPClient
    let development: (any DevelopmentEnvironment)?
    let registry: PrometheusCollectorRegistry
    let logger: Logger
    let tracer: (any Tracer)?
}

/// A built router and what the server around it needs: the proxy's fast routes, what each
/// provider runs beside its routes, and every route (for the error pages and the CLI).
struct BuiltRouter {
    static let serverName = "ThingBridge"

    let router: Router<AppRequestContext>
    let fastRoutes: ProxyFastRoutes
    let mounts: [ProviderMount]
    let routes: [(path: String, method: HTTPRequest.Method)]
    var notes: [String] { mounts.flatMap(\.notes) }
}

/// The router: middleware, operations, each provider's own routes, sign-in, the proxies,
/// development's helpers and the admin API, from services made elsewhere. Split from
/// `buildApplication` (as hummingbird-examples do) so the routes read in one place, apart from
/// opening databases and clients.
func buildRouter(_ services: RouterServices) throws -> BuiltRouter {
    let (configuration, database, cookies, providers) = (services.configuration, services.database, services.cookies, services.providers)
    let (eventStore, relayStore, relay) = (services.eventStore, services.relayStore, services.relay)
    let (httpClient, development, registry, logger, tracer) = (
        services.httpClient, services.development, services.registry, services.logger, services.tracer
    )
    let routeIndex = RouteIndex()
    let router = Router(context: AppRequestContext.self)
    let proxyMetrics = ProxyMetrics(registry: registry)
    let httpMetrics = HTTPMetrics(registry: registry)
    let securityHeaders = SecurityHeadersMiddleware<AppRequestContext>()
    if let tracer {
        // Outermost, so that the access log line and everything below run inside the span.
        router.add(middleware: RequestTracingMiddleware(tracer: tracer))
    }
    router.add(middleware: RequestTelemetryMiddleware(metrics: httpMetrics))
    // Outside the error middleware, so that error answers to allowed origins carry CORS headers too.
    router.add(middleware: CORSMiddleware(allowedOrigins: configuration.corsOrigins, metrics: proxyMetrics))
    router.add(middleware: securityHeaders)
    router.add(middleware: ErrorMiddleware(routeIndex: routeIndex))
    router.add(middleware: StaticFilesMiddleware(directory: configuration.publicDirectory, logger: logger))
    router.addRoutes(OperationsController(database: database, registry: registry).endpoints)

    // Each provider's own routes (webhooks, single sign-on) and services.
    let context = ProviderContext(
        cookies: cookies, eventStore: eventStore, newEventStored: { relay.deliveriesQueued() }, publicURL: configuration.publicURL,
        development: development, logger: logger)
    let mounts = try providers.map { try $0.mount(on: router, with: context) }
    let logoutActions = mounts.compactMap(\.onLogout)
    router.addRoutes(
        SignInController(
            providers: providers.compactMap(\.signIn), cookies: cookies, publicURL: configuration.publicURL,
            forumPath: mounts.lazy.compactMap(\.forumPath).first,
            consoles: Dictionary(uniqueKeysWithValues: providers.compactMap { provider in provider.console.map { (provider.id, $0) } })
        ) { session in
            for action in logoutActions { action(session) }
        }.endpoints,
        atPath: "/auth")
    // Every provider answers at `/api/{provider}/...` (Thingiverse also at `/api/...`); the
    // longest mount path first, so the fast path's prefix match finds the right one.
    let proxies = providers.flatMap(\.proxies).sorted { $0.path.count > $1.path.count }
    var proxyControllers: [ProxyController<AppRequestContext>] = []
    for (path, target) in proxies {
        let proxy = ProxyController<AppRequestContext>(
            target: target, cookies: cookies, mountPath: path, publicURL: configuration.publicURL,
            corsOrigins: configuration.corsOrigins, metrics: proxyMetrics)
        router.addRoutes(proxy.endpoints, atPath: RouterPath(path))
        proxyControllers.append(proxy)
    }
    let fastRoutes = ProxyFastRoutes(
        proxies: proxyControllers, corsOrigins: configuration.corsOrigins, httpMetrics: httpMetrics, proxyMetrics: proxyMetrics,
        securityHeaders: securityHeaders, logger: logger, serverName: BuiltRouter.serverName)
    // The simulators below `/sim/`, and with a simulated Thingiverse the `/dev/` helpers.
    development?.mount(
        on: router,
        wiring: DevelopmentWiring(
            thingiverseWebhookURL: services.thingiverseWebhookURL,
            publicOrigin: ThingBridgeConfiguration.origin(configuration.publicURL) ?? configuration.publicURL,
            httpClient: httpClient))
    if development?.thingiverse == nil {
        // Pages ask whether to show the development banner; outside development the answer is no.
        router.get("/dev/info") { _, _ in DevelopmentStatus(development: false) }
    }

    let adminCheck = SessionAdminCheck(
        cookies: cookies, adminUsers: configuration.adminUsers, developmentWithSimulator: development?.thingiverse != nil)
    let adminGuard = AdminGuard(
        token: configuration.adminToken, sessionCheck: adminCheck, sameOrigin: SameOriginPolicy(publicURL: configuration.publicURL))
    // The one place the admin check is added: every route of the admin API is behind it.
    router.group("admin/api")
        .add(middleware: AdminGuardMiddleware(guardian: adminGuard))
        .addRoutes(AdminController(store: eventStore, orders: services.orderStore).endpoints)
        .addRoutes(RelayAdminController(store: relayStore) { relay.endpointsChanged() }.endpoints, atPath: "relay")

    let routes = router.routes.map { (path: $0.path.description, method: $0.method) }
    routeIndex.record(routes)

    return BuiltRouter(router: router, fastRoutes: fastRoutes, mounts: mounts, routes: routes)
}
