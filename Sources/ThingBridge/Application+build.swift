import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import Prometheus
import Tracing

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
///   - tracer: spans for requests, upstream calls, group commits and relay attempts; `nil`
///     (no `OTEL_EXPORTER_OTLP_ENDPOINT`) leaves every path as it is without tracing.
public func buildApplication(
    configuration: ThingBridgeConfiguration,
    logger: Logger,
    registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
    development: (any DevelopmentEnvironment)? = nil,
    tracer: (any Tracer)? = nil
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
    // It answers before the router, so with tracing on it is left out and every request gets its span.
    let upstreamPool =
        configuration.proxyFastPath && tracer == nil
        ? UpstreamConnectionPool(
            connectTimeout: .seconds(Int64(configuration.connectTimeout)), readTimeout: .seconds(Int64(configuration.upstreamTimeout)))
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
    let thingiverse = ThingiverseProvider(
        settings: thingiverseSettings, rateLimit: configuration.rateLimit, webhookSecrets: webhookSecrets,
        webhookSecretsGenerated: configuration.webhookSecrets == nil, httpClient: httpClient, timeout: upstreamTimeout, pool: upstreamPool,
        database: database, logger: logger, tracer: tracer)
    let services = ProviderServices(
        configuration: configuration, development: development, httpClient: httpClient, timeout: upstreamTimeout, pool: upstreamPool,
        database: database, codec: codec, developmentSecrets: developmentSecrets, tracer: tracer)
    let configured = ConfiguredProvider.buildAll(services)
    // The list of providers, in the order the pages show them; each but Thingiverse is on only when
    // its settings are (or, in development, its simulator stands in).
    let providers: [any Provider] = [thingiverse] + FlattrProvider.build(services) + configured + UserEchoProvider.build(services)
    // The one event log, with what each provider makes of its events (Thingiverse's orders).
    let eventStore = SQLWebhookEventStore(
        database: database, batching: configuration.webhookGroupCommit, projections: EventProjections(providers.flatMap(\.projections)),
        tracer: tracer)
    // The relay that sends every new event to the app's own services from the outbox the event
    // log's commits fill.
    let relayStore = SQLRelayStore(database: database, projections: eventStore.projections)
    // Old rows go in small batches, in the background (THINGBRIDGE_RETENTION_*).
    let retention = RetentionService(
        store: SQLRetentionStore(database: database, projections: eventStore.projections), policy: configuration.retention, logger: logger)
    try await relayStore.syncConfigured(urls: configuration.relayEndpoints)
    let relay = try RelayDispatcher(
        store: relayStore, httpClient: httpClient, configuredSecrets: configuration.relaySecrets,
        retrySchedule: configuration.relayRetrySchedule, metrics: RelayMetrics(registry: registry), logger: logger,
        tracer: tracer)
    notes += development?.notes ?? []

    let built = try buildRouter(
        RouterServices(
            configuration: configuration, database: database, cookies: cookies, providers: providers, eventStore: eventStore,
            orderStore: thingiverse.orderStore, relayStore: relayStore, relay: relay,
            thingiverseWebhookURL: thingiverse.webhookURL(publicURL: configuration.publicURL), httpClient: httpClient,
            development: development, registry: registry, logger: logger, tracer: tracer))
    notes += built.notes
    let (router, fastRoutes, mounts, routes) = (built.router, built.fastRoutes, built.mounts, built.routes)
    let serverName = BuiltRouter.serverName

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
        services: [DatabaseService(database: database), revocationSync, HTTPClientService(client: httpClient), relay, retention]
            + mounts.flatMap(\.services) + (development?.services ?? []),
        logger: logger
    )
    return ThingBridgeServer(
        application: application, database: database, webhookSecrets: webhookSecrets, startupNotes: notes,
        orderConfirmer: thingiverse.orderConfirmer, relay: relay,
        revocations: revocations, configuredProviders: configured,
        routes: routes.map { "\($0.method.rawValue) \($0.path)" }.sorted()
    )
}

/// Generated secrets for whatever development mode leaves unset.
private func developmentSecretsIfNeeded(_ configuration: ThingBridgeConfiguration) throws -> DevelopmentSecrets.Stored? {
    let sectionNeedsOne = configuration.providerSections.contains { $0.needsDevelopmentSecrets(in: configuration) }
    guard configuration.sessionKeys == nil || configuration.webhookSecrets == nil || sectionNeedsOne else { return nil }
    if case .sqlite(":memory:") = configuration.database {
        return DevelopmentSecrets.make()
    }
    return try DevelopmentSecrets.loadOrCreate(in: configuration.dataDirectory)
}
