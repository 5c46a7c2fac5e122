// ThingiverseSimulator: a fake Thingiverse (OAuth web host, REST API, webhook sender and fault
// switches) that runs fully offline, built on the simulator kit (Kit/). It knows nothing about
// ThingBridge and must never be mounted in production (`_control` has no authentication).
// Routes, seed data, switches and the choices made: README.md beside this file.

import AsyncHTTPClient
import Hummingbird
import NIOCore
import Synchronization

/// A simulated Thingiverse: the OAuth pages of www.thingiverse.com and the REST API of
/// api.thingiverse.com, with seeded users and things, for development and tests.
///
/// Each instance has its own state, so tests can run in parallel with one simulator each.
public final class ThingiverseSimulator: ControlledSimulator {
    /// Where the simulator lives and which apps are registered.
    public var configuration: SimulatorConfiguration { baseConfiguration.withLock { $0 } }
    private let baseConfiguration: Mutex<SimulatorConfiguration>
    let state: Mutex<SimulatorState>
    /// The request log and fault switches (see ``ControlledSimulator``).
    public let controls = SimulatorControls(host: "www.thingiverse.com")
    /// Sends the order webhooks that `PATCH /orders/{id}` causes, and remembers how each went.
    let deliveries = BackgroundDeliveries(
        label: "ThingiverseSimulator.webhooks", noun: "Webhook", keepsOutcomes: true,
        timeouts: .init(connect: .seconds(5), read: .seconds(10))
    ) { webhook, client in
        try await WebhookSender(httpClient: client).send(webhook.body, to: webhook.url).status
    }

    /// Creates a simulator with the seeded content and one set of orders per registered app.
    public init(configuration: SimulatorConfiguration) {
        self.baseConfiguration = Mutex(configuration)
        self.state = Mutex(SimulatorState(apps: configuration.apps))
    }

    /// Sets where the simulator is reached, for one started on port 0 whose address is only
    /// known once it listens. Links, thumbnails and the authorization form use these URLs.
    public func setBaseURLs(web: String, api: String) {
        baseConfiguration.withLock { $0.setBaseURLs(web: web, api: api) }
    }

    /// All routes: the OAuth pages and the `_control` endpoint below `webPrefix`, the REST API
    /// (and its generated images) below `apiPrefix`. Mount them in any Hummingbird router, e.g.
    /// ThingBridge mounts them with `webPrefix: "/sim"` and `apiPrefix: "/sim/api"`.
    /// - Parameters:
    ///   - context: the router's request context type
    ///   - webPrefix: path of the OAuth pages, "" for the root
    ///   - apiPrefix: path of the REST API; must not be empty or equal to `webPrefix`
    public func routes<Context: RequestContext>(
        context: Context.Type, webPrefix: String, apiPrefix: String
    ) -> RouteCollection<Context> {
        .simulatedSite(webPrefix: webPrefix, apiPrefix: apiPrefix, site: "Thingiverse simulator") { routes, web, api in
            OAuthController(simulator: self, prefix: web).addRoutes(to: routes)
            ControlController(simulator: self, prefix: web).addRoutes(to: routes)
            APIController(simulator: self, prefix: api).addRoutes(to: routes)
        }
    }

    /// Sets (or with `nil` clears) the webhook URL of the registered app `clientID`, e.g. once
    /// the receiver's address is known. Returns whether such an app is registered.
    @discardableResult
    public func setWebhookURL(_ url: String?, clientID: String) -> Bool {
        baseConfiguration.withLock { configuration in
            guard let index = configuration.apps.firstIndex(where: { $0.clientID == clientID }) else { return false }
            configuration.apps[index].webhookURL = url
            return true
        }
    }

    /// The order webhooks sent so far (event, URL, the receiver's status or the failure), oldest first.
    public func sentWebhooks() -> [SentWebhook] {
        deliveries.outcomes.map {
            SentWebhook(event: $0.delivery.event, url: $0.delivery.url, status: $0.status, failure: $0.failure)
        }
    }

    /// Waits for the order webhooks in flight, then shuts down the HTTP client they use. Call it
    /// once, before dropping a simulator whose apps have a `webhookURL`; webhooks due after it
    /// are dropped (a simulator dropped without it still shuts the client down, without waiting).
    public func shutdown() async throws {
        try await deliveries.shutdown()
    }

    /// Issues a token as if `user` had pressed Allow for the app `clientID` in the token flow.
    /// The `foreignAudience` fault applies. For tests and the CLI.
    /// - Parameters:
    ///   - user: a name from `seededUsers`
    ///   - clientID: the app's client id (it need not be registered)
    /// - Returns: the 40-character access token
    public func issueToken(user: String, clientID: String) -> String {
        let audience = audience(for: clientID)
        return state.withLock { state in
            guard let owner = state.user(named: user) else {
                preconditionFailure("No seeded user \"\(user)\"; choose one of \(state.users.map(\.name)).")
            }
            return state.issueToken(userID: owner.id, clientID: audience)
        }
    }

    /// The names of the seeded users, as offered on the authorization page.
    public var seededUsers: [String] {
        state.withLock { $0.users.map(\.name) }
    }

    /// The seeded orders of the app with this client id (what `GET /orders` shows its tokens).
    public func orders(clientID: String) -> [SimulatedOrder] {
        state.withLock { $0.orders[clientID] ?? [] }
    }

    // MARK: Shared by the controllers

    /// The client id a token issued now is recorded under: `clientID`, or another app's while
    /// the `foreignAudience` fault is on.
    func audience(for clientID: String) -> String {
        faults.foreignAudience ? SimulatorFaults.foreignClientID : clientID
    }
}
