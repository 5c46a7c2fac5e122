// ThingiverseSimulator: a fake Thingiverse (OAuth web host, REST API, webhook sender and fault
// switches) that runs fully offline. It knows nothing about ThingBridge.
//
// ThingBridge mounts the simulator only in development mode (no client id configured and
// THINGBRIDGE_ENV not "production"). The simulator has no authentication of its own for its
// `_control` endpoint, so it must never be mounted in production.
//
// Routes (WEB = webPrefix, API = apiPrefix; a trailing slash is optional on API paths):
//   GET/POST WEB/login/oauth/authorize   "Authorize APP?" page; the form posts Allow/Deny back
//   POST WEB/login/oauth/access_token    code -> `access_token=<40 hex>&token_type=bearer` (form-encoded)
//   POST WEB/login/oauth/tokeninfo       {"audience":"CLIENT_ID","user_id":"244"}
//   GET/POST WEB/_control/faults         read / replace the fault switches (JSON)
//   API/...                              every endpoint of the Thingiverse REST reference
//                                        (the table in API/APIController.swift)
//   GET API/_media/<name>_<thumb|preview|large>.png   generated images (no token, no faults)
//   GET API/_storage/...                 downloads, package ZIPs and uploaded bytes (no token)
//   POST API/_uploads                    the storage endpoint upload answers point at (multipart)
// Seed data, the upload flow, order webhooks and the switches: README.md beside this file.
// Seed in short: users thingiverse (50577), makerbot (12648), alice_prints (244), bob_builds
// (731542); 45 things (ids 4_100_000 + 17 * n), 10 categories, 7 collections, 8 copies,
// comments, groups 5001-5003 with topics 6001-6004; orders 1234-1236 for the first registered
// app, 2234-2236 for the second, and so on.
//
// Changes from the interface agreed in the brief (names kept):
// - `apiPrefix` must not be empty: the API answers every path below it (unknown paths get a
//   404 JSON error), which would swallow the OAuth pages if both lived at the root.
// - `requestCount(path:)` matches either the full request path ("/sim/login/oauth/access_token")
//   or the path below the web/API prefix ("/login/oauth/access_token", "/users/me"); a trailing
//   slash is ignored. `requestLog()` lists full paths.
// - `issueToken(user:clientID:)` stops the program (precondition) for a user name that is not
//   seeded; check `seededUsers` first when the name comes from a person.
// - Extra public API: `orders(clientID:)` (the seeded orders of an app, so the CLI can send
//   webhooks for orders that `GET /orders/{id}` knows), `SimulatedCharge` (the element type
//   of `SimulatedOrder.charges`), a public memberwise `SimulatedOrder.init`, and
//   `WebhookScenario.events` (the event names in sending order).
// - `SimulatedOrder.isShipped` is a `Bool`; it is written as the string "true"/"false".
// - `POST /things` answers 201 Created (GitHub style); other successes are 200.
// - Responses without a known token (401) and the fault pages carry no X-RateLimit headers:
//   the budget is per token.
// - Deny on the authorization page redirects with `?error=access_denied` in the query for both
//   flows, as the brief says (RFC 6749 would put it in the fragment for the token flow).

import AsyncHTTPClient
import Hummingbird
import NIOCore
import Synchronization

/// A simulated Thingiverse: the OAuth pages of www.thingiverse.com and the REST API of
/// api.thingiverse.com, with seeded users and things, for development and tests.
///
/// Each instance has its own state, so tests can run in parallel with one simulator each.
public final class ThingiverseSimulator: Sendable {
    /// Where the simulator lives and which apps are registered.
    public var configuration: SimulatorConfiguration { baseConfiguration.withLock { $0 } }
    private let baseConfiguration: Mutex<SimulatorConfiguration>
    let state: Mutex<SimulatorState>
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
        baseConfiguration.withLock { configuration in
            configuration.webBaseURL = web.droppingTrailingSlashes
            configuration.apiBaseURL = api.droppingTrailingSlashes
        }
    }

    /// All routes: the OAuth pages and the `_control` endpoint below `webPrefix`, the REST API
    /// (and its generated images) below `apiPrefix`. Mount them in any Hummingbird router, e.g.
    /// ThingBridge mounts them with `webPrefix: "/sim"` and `apiPrefix: "/sim/api"`.
    /// - Parameters:
    ///   - context: the router's request context type
    ///   - webPrefix: path of the OAuth pages, "" for the root
    ///   - apiPrefix: path of the REST API; must not be empty
    public func routes<Context: RequestContext>(
        context: Context.Type, webPrefix: String, apiPrefix: String
    ) -> RouteCollection<Context> {
        let web = webPrefix.mountPrefix
        let api = apiPrefix.mountPrefix
        precondition(!api.isEmpty, "The simulator's API needs its own path prefix, e.g. \"/api\".")
        let routes = RouteCollection(context: Context.self)
        OAuthController(simulator: self, prefix: web).addRoutes(to: routes)
        ControlController(simulator: self, prefix: web).addRoutes(to: routes)
        APIController(simulator: self, prefix: api).addRoutes(to: routes)
        return routes
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

    /// The fault switches in force.
    public var faults: SimulatorFaults {
        state.withLock { $0.faults }
    }

    /// Replaces all fault switches at once.
    public func setFaults(_ faults: SimulatorFaults) {
        state.withLock { $0.faults = faults }
    }

    /// Issues a token as if `user` had pressed Allow for the app `clientID` in the token flow.
    /// The `foreignAudience` fault applies. For tests and the CLI.
    /// - Parameters:
    ///   - user: a name from `seededUsers`
    ///   - clientID: the app's client id (it need not be registered)
    /// - Returns: the 40-character access token
    public func issueToken(user: String, clientID: String) -> String {
        state.withLock { state in
            guard let owner = state.user(named: user) else {
                preconditionFailure("No seeded user \"\(user)\"; choose one of \(state.users.map(\.name)).")
            }
            return state.issueToken(userID: owner.id, clientID: clientID)
        }
    }

    /// The names of the seeded users, as offered on the authorization page.
    public var seededUsers: [String] {
        state.withLock { $0.users.map(\.name) }
    }

    /// How many requests reached `path` (full path or path below the prefix; query strings and a
    /// trailing slash are ignored), e.g. to prove that no token request was made.
    public func requestCount(path: String) -> Int {
        state.withLock { $0.log.count(path: path) }
    }

    /// Every request seen, as `"METHOD /full/path"` (no query string), in arrival order.
    /// A long-running simulator keeps only the most recent 10,000 or more.
    public func requestLog() -> [String] {
        state.withLock { $0.log.lines }
    }

    /// The seeded orders of the app with this client id (what `GET /orders` shows its tokens).
    public func orders(clientID: String) -> [SimulatedOrder] {
        state.withLock { $0.orders.filter { $0.clientID == clientID }.map(\.order) }
    }

    // MARK: Shared by the controllers

    /// Notes a request in the log.
    func record(_ request: Request, prefix: String) {
        let entry = LoggedRequest(request, prefix: prefix)
        state.withLock { $0.log.record(entry) }
    }

    /// Applies the edge faults (`delay`, `htmlChallenge`, `serverError`, `htmlErrorPage`):
    /// sleeps if asked, then returns the response to send instead of the real one, if any.
    func faultResponse() async throws -> Response? {
        try await faults.response(host: "www.thingiverse.com")
    }
}
