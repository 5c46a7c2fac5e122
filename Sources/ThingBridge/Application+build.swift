import AsyncHTTPClient
import Foundation
import Hummingbird
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
}

/// The composition root: creates the shared things (database, HTTP client, keys), builds the
/// router and hands each controller exactly what it needs. Nothing else reads configuration.
///
/// - Parameters:
///   - configuration: validated settings.
///   - logger: the application's logger (its level already set).
///   - registry: where metrics are registered and served from `/metrics`.
public func buildApplication(
    configuration: ThingBridgeConfiguration,
    logger: Logger,
    registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()
) async throws -> ThingBridgeServer {
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
    let httpClient = HTTPClientService.makeClient(upstreamTimeout: configuration.upstreamTimeout)

    if configuration.usesSimulator {
        notes.append("DEVELOPMENT MODE: no THINGIVERSE_CLIENT_ID is set, so the built-in Thingiverse simulator answers at \(configuration.publicURL)/sim")
    }
    if configuration.webhookSecrets == nil {
        notes.append("Development webhook URL: \(configuration.publicURL)/webhooks/thingiverse/\(webhookSecrets[0].value)")
    }

    let routeIndex = RouteIndex()
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestTelemetryMiddleware(metrics: HTTPMetrics(registry: registry)))
    router.add(middleware: ErrorMiddleware(routeIndex: routeIndex))
    router.add(middleware: FileMiddleware(configuration.publicDirectory, searchForIndexHtml: true, logger: logger))
    router.addRoutes(OperationsController(database: database, registry: registry).endpoints)

    // Order webhooks, their confirmation against the API, and the admin API (issue 5).
    let eventStore = SQLWebhookEventStore(database: database, batching: configuration.webhookGroupCommit)
    let orderConfirmer = configuration.thingiverse?.appToken.map { token in
        let lookup = ThingiverseOrderLookup(client: httpClient, apiURL: configuration.thingiverseAPIURL, token: token)
        return OrderConfirmer(store: eventStore, lookup: lookup, logger: logger)
    }
    router.addRoutes(
        WebhookController(secrets: webhookSecrets, store: eventStore, confirmsOrders: orderConfirmer != nil) {
            orderConfirmer?.eventAwaitsConfirmation()
        }.endpoints
    )
    router.addRoutes(AdminController(store: eventStore, guard: AdminGuard(token: configuration.adminToken)).endpoints)

    routeIndex.record(router.routes.map { (path: $0.path.description, method: $0.method) })

    let application = Application(
        router: router,
        server: .http1(configuration: .init(idleTimeout: .seconds(Int64(configuration.idleTimeout)))),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "ThingBridge"),
        // Stopped in reverse order after the server has drained: the order confirmer, the HTTP client, then the database.
        services: [DatabaseService(database: database), HTTPClientService(client: httpClient)] + (orderConfirmer.map { [$0] } ?? []),
        logger: logger
    )
    return ThingBridgeServer(application: application, database: database, webhookSecrets: webhookSecrets, startupNotes: notes)
}

/// Generated secrets for whatever development mode leaves unset.
private func developmentSecretsIfNeeded(_ configuration: ThingBridgeConfiguration) throws -> DevelopmentSecrets.Stored? {
    guard configuration.sessionKeys == nil || configuration.webhookSecrets == nil else { return nil }
    if case .sqlite(":memory:") = configuration.database {
        return DevelopmentSecrets.make()
    }
    return try DevelopmentSecrets.loadOrCreate(in: configuration.dataDirectory)
}
