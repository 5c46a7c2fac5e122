// FlattrSimulator: a fake Flattr (the OAuth2 provider at flattr.com and the REST API v2 at
// api.flattr.com/rest/v2) that runs fully offline, on the simulator kit (Kit/). Its differences
// are Flattr's: client authentication by HTTP Basic only, scopes, `_method=patch`, comma lists
// of ids, the lookup redirect. Routes, seed data and the choices made: ../README.md.

import Hummingbird
import Synchronization

/// A simulated Flattr: the OAuth2 pages of flattr.com and the REST API v2, with seeded users
/// and things, for development and tests.
///
/// Each instance has its own state, so tests can run in parallel with one simulator each.
public final class FlattrSimulator: ControlledSimulator {
    /// Where the simulator lives and which apps are registered.
    public var configuration: FlattrSimulatorConfiguration { baseConfiguration.withLock { $0 } }
    private let baseConfiguration: Mutex<FlattrSimulatorConfiguration>
    let state: Mutex<FlattrState>
    /// The request log and fault switches (see ``ControlledSimulator``); the edge faults apply.
    public let controls = SimulatorControls(host: "flattr.com")

    /// Creates a simulator with the seeded users and things.
    public init(configuration: FlattrSimulatorConfiguration) {
        self.baseConfiguration = Mutex(configuration)
        self.state = Mutex(FlattrState())
    }

    /// Sets where the simulator is reached, for one started on port 0 whose address is only
    /// known once it listens. Links, resources, lookups and the authorization form use these.
    public func setBaseURLs(web: String, api: String) {
        baseConfiguration.withLock { $0.setBaseURLs(web: web, api: api) }
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
        .simulatedSite(webPrefix: webPrefix, apiPrefix: apiPrefix, site: "Flattr simulator") { routes, web, api in
            FlattrOAuthController(simulator: self, prefix: web).addRoutes(to: routes)
            FlattrWebController(simulator: self, prefix: web).addRoutes(to: routes)
            FlattrAPIController(simulator: self, prefix: api).addRoutes(to: routes)
        }
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

    /// What every call to `POST /oauth/token` sent, in arrival order.
    public func tokenRequests() -> [FlattrTokenRequestRecord] {
        state.withLock { $0.tokenRequests }
    }
}
