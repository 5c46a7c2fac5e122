// FlattrSimulator: a fake Flattr (the OAuth2 provider at flattr.com and the REST API v2 at
// api.flattr.com/rest/v2) that runs fully offline, beside the Thingiverse simulator in the same
// module. Flattr closed in January 2024, so this is the only way to exercise a Flattr client.
// It knows nothing about ThingBridge.
//
// Routes (WEB = webPrefix, API = apiPrefix; a trailing slash is optional on API paths):
//   GET  WEB/oauth/authorize      "Authorize APP on Flattr?" page (response_type=code only); the form
//                                 posts Allow/Deny to POST WEB/oauth/authorize, which redirects 302 to
//                                 redirect_uri?code=..&state=.. or ?error=access_denied&state=..
//   POST WEB/oauth/token          client in HTTP Basic (required), body form or JSON:
//                                 grant_type=authorization_code, code, redirect_uri ->
//                                 {"access_token","token_type":"bearer","scope"}, Cache-Control: no-store
//   GET  WEB/profile/{username}, WEB/thing/{id}     small HTML pages (the `link` of users and things)
//   GET  WEB/profile/{username}/avatar.png, WEB/thing/image/4/2/3/4/0/5/medium.png   generated images
//   GET  API/user, API/user/things                  the token's user (token needed)
//   GET  API/users/{username}, API/users/{username}/things
//   GET  API/things/{id} and API/things/{id},{id},...   (a list answers an array)
//   GET  API/things/lookup?url=..                   302, Location: API/things/{id}; or 404
//   GET  API/things/search?query=&category=&tags=&user=&sort=&page=&count=
//   POST API/things                                 201 (scope thing)
//   PATCH API/things/{id}, or POST with _method=patch (query, form or JSON)   200 (scope thing, owner)
//   DELETE API/things/{id}                          204 (scope thing, owner)
// Every API answer is JSON (`application/json;charset=utf-8`) with X-RateLimit-Limit and
// X-RateLimit-Remaining; errors are {"error","error_description","error_uri"}.
// Seed: users flattr, smgt, alice_flattrs, bob_supports; 11 things, ids 423405 (flattr, the
// reference's example), 450287 (smgt, the reference's second example), 436714, 463559 (flattr),
// 461007 (smgt), 441203, 447981, 452310 (alice_flattrs; 452310 is hidden), 455120, 458842,
// 466212 (bob_supports); categories text, images, video, audio, software.
//
// Choices the brief left open:
// - `apiPrefix` must not be empty and must differ from `webPrefix`: the API answers every path
//   below it (unknown paths get a 404 JSON error).
// - `requestCount(path:)` matches the full path or the path below the web/API prefix, as the
//   Thingiverse simulator's does; `requestLog()` lists full paths and the method that arrived.
// - `issueToken(user:clientID:)` grants the scopes `flattr thing` and stops the program
//   (precondition) for a user name that is not seeded; check `seededUsers` first.
// - An authorize request without `scope` is granted `flattr thing`; an unknown scope is a 400
//   page. Scopes are space-separated, as Flattr documents.
// - The token endpoint reads its parameters from the body only (RFC 6749), never the query. A
//   `client_secret` field, or the secret's value anywhere in the body or query, is refused with
//   400 `invalid_request` even when the Basic header is right (real Flattr accepted it). Without
//   a valid Basic header the answer is 401 `invalid_client` first.
// - `redirect_uri` at the token endpoint must equal the authorize one; it may be left out only
//   if the authorize request left it out too.
// - The bearer token is read from the `Authorization` header only. Requests without a token (or
//   with an unknown one, which get 401) share one anonymous rate budget, so that every answer
//   carries the rate-limit headers. A 429 also carries `Retry-After`.
// - `GET /user` always includes `email` (the brief's shape), whatever the scopes; other users'
//   objects never do.
// - `POST /things` for a URL the caller already owns answers 200 (not 201) with the existing id
//   and "Thing already exists". A `POST /things/{id}` without `_method=patch` is 405
//   `method_not_allowed` with `Allow: GET, PATCH, DELETE`, as is any other method a path lacks.
// - Hidden things are left out of lists and search except the owner's own lists; by id they are
//   found by anyone.

import Hummingbird
import Synchronization

/// A simulated Flattr: the OAuth2 pages of flattr.com and the REST API v2, with seeded users
/// and things, for development and tests.
///
/// Each instance has its own state, so tests can run in parallel with one simulator each.
public final class FlattrSimulator: Sendable {
    /// Where the simulator lives and which apps are registered.
    public var configuration: FlattrSimulatorConfiguration { baseConfiguration.withLock { $0 } }
    private let baseConfiguration: Mutex<FlattrSimulatorConfiguration>
    let state: Mutex<FlattrState>

    /// Creates a simulator with the seeded users and things.
    public init(configuration: FlattrSimulatorConfiguration) {
        self.baseConfiguration = Mutex(configuration)
        self.state = Mutex(FlattrState())
    }

    /// Sets where the simulator is reached, for one started on port 0 whose address is only
    /// known once it listens. Links, resources, lookups and the authorization form use these.
    public func setBaseURLs(web: String, api: String) {
        baseConfiguration.withLock { configuration in
            configuration.webBaseURL = web.droppingTrailingSlashes
            configuration.apiBaseURL = api.droppingTrailingSlashes
        }
    }

    /// All routes: the OAuth endpoints, profile and thing pages and images below `webPrefix`,
    /// the REST API below `apiPrefix`. Mount them in any Hummingbird router, e.g. with
    /// `webPrefix: "/sim/flattr"` and `apiPrefix: "/sim/flattr/api"`.
    /// - Parameters:
    ///   - context: the router's request context type
    ///   - webPrefix: path of the web host, "" for the root
    ///   - apiPrefix: path of the REST API; must not be empty or equal to `webPrefix`
    public func routes<Context: RequestContext>(
        context: Context.Type, webPrefix: String, apiPrefix: String
    ) -> RouteCollection<Context> {
        let web = webPrefix.mountPrefix
        let api = apiPrefix.mountPrefix
        precondition(!api.isEmpty, "The Flattr simulator's API needs its own path prefix, e.g. \"/api\".")
        precondition(api != web, "The Flattr simulator's API and web host need different prefixes.")
        let routes = RouteCollection(context: Context.self)
        FlattrOAuthController(simulator: self, prefix: web).addRoutes(to: routes)
        FlattrWebController(simulator: self, prefix: web).addRoutes(to: routes)
        FlattrAPIController(simulator: self, prefix: api).addRoutes(to: routes)
        return routes
    }

    /// The fault switches in force.
    public var faults: FlattrSimulatorFaults {
        state.withLock { $0.faults }
    }

    /// Replaces all fault switches at once.
    public func setFaults(_ faults: FlattrSimulatorFaults) {
        state.withLock { $0.faults = faults }
    }

    /// Issues a token (scopes `flattr thing`) as if `user` had pressed Allow for the app
    /// `clientID` and the app had exchanged the code. For tests.
    /// - Parameters:
    ///   - user: a name from `seededUsers`
    ///   - clientID: the app's client id (it need not be registered)
    /// - Returns: the access token
    public func issueToken(user: String, clientID: String) -> String {
        state.withLock { state in
            guard let owner = state.user(named: user) else {
                preconditionFailure("No seeded Flattr user \"\(user)\"; choose one of \(state.users.map(\.username)).")
            }
            return state.issueToken(username: owner.username, clientID: clientID, scopes: .standard)
        }
    }

    /// The usernames of the seeded users, as offered on the authorization page.
    public var seededUsers: [String] {
        state.withLock { $0.users.map(\.username) }
    }

    /// How many requests reached `path` (full path or path below the prefix; query strings and a
    /// trailing slash are ignored), e.g. to prove that no token request was made.
    public func requestCount(path: String) -> Int {
        state.withLock { $0.log.count(path: path) }
    }

    /// Every request seen, as `"METHOD /full/path"` (no query string), in arrival order, with the
    /// method that arrived (a `POST` with `_method=patch` stays `POST`).
    /// A long-running simulator keeps only the most recent 10,000 or more.
    public func requestLog() -> [String] {
        state.withLock { $0.log.lines }
    }

    /// What every call to `POST /oauth/token` sent, in arrival order.
    public func tokenRequests() -> [FlattrTokenRequestRecord] {
        state.withLock { $0.tokenRequests }
    }

    // MARK: Shared by the controllers

    /// Notes a request in the log.
    func record(_ request: Request, prefix: String) {
        let entry = LoggedRequest(request, prefix: prefix)
        state.withLock { $0.log.record(entry) }
    }

    /// Applies the `delay`, `htmlChallenge` and `serverError` faults: sleeps if asked, then
    /// returns the response to send instead of the real one, if any.
    func faultResponse() async throws -> Response? {
        try await faults.response(host: "flattr.com")
    }
}
