import AsyncHTTPClient
import Hummingbird
import Logging
import ServiceLifecycle
import Tracing

/// One provider as the composition root mounts it: what people sign in with, what its proxy
/// forwards, and the routes and services of its own (Thingiverse's order webhooks, UserEcho's
/// hooks and single sign-on). ``buildApplication(configuration:logger:registry:development:)``
/// holds a list of these and mounts each; nothing outside a provider's folder names it.
public protocol Provider: Sendable {
    var id: ProviderID { get }
    /// Its sign-in; nil for UserEcho, the app's forum, which any signed-in person uses as themselves.
    var signIn: (any SignInProvider)? { get }
    /// Its proxy by mount path: `/api/{id}` (Thingiverse also keeps `/api`); none for sign-in only.
    var proxies: [(path: String, target: ProxyTarget)] { get }
    /// What it makes of its webhook events, run in the transaction that stores them (Thingiverse's orders).
    var projections: [any EventProjection] { get }
    /// What the pages' API console may offer for it (a configured provider's allow-list), told
    /// to the pages by `/auth/session`; the pages use it where they have no console of their own.
    var console: ProviderConsole? { get }
    /// Adds the routes of its own and says what runs beside them.
    func mount(on router: Router<AppRequestContext>, with context: ProviderContext) throws -> ProviderMount
}

extension Provider {
    public var projections: [any EventProjection] { [] }
    public var console: ProviderConsole? { nil }
    public func mount(on router: Router<AppRequestContext>, with context: ProviderContext) throws -> ProviderMount { ProviderMount() }
}

/// The shared things the composition root hands a built-in provider to build it from its settings
/// section (``FlattrProvider/build(_:)``, ``UserEchoProvider/build(_:)``).
struct ProviderServices: Sendable {
    let configuration: ThingBridgeConfiguration
    /// The simulators standing in for providers without credentials (development mode).
    let development: (any DevelopmentEnvironment)?
    /// The application's one HTTP client.
    let httpClient: HTTPClient
    /// How long a call upstream may take.
    let timeout: Duration
    /// Connections for the proxy's fast path (nil: every request takes the async path).
    let pool: UpstreamConnectionPool?
    let database: Database
    /// Seals what providers record for other instances with the session key.
    let codec: SessionCookieCodec
    /// The secrets development mode generated for what is unset.
    let developmentSecrets: DevelopmentSecrets.Stored?
    /// A span per upstream call when tracing is on.
    let tracer: (any Tracer)?
}

/// The shared things a provider's own routes may use.
public struct ProviderContext: Sendable {
    let cookies: SessionCookies
    /// The one event log, for providers that receive webhooks.
    let eventStore: SQLWebhookEventStore
    /// Told when a new event is stored, so its deliveries go out.
    let newEventStored: @Sendable () -> Void
    let publicURL: String
    let development: (any DevelopmentEnvironment)?
    let logger: Logger
}

/// What a mounted provider runs beside its routes.
public struct ProviderMount: Sendable {
    /// Background work, stopped after the server has drained.
    var services: [any Service] = []
    /// Lines for the person starting the server (development URLs).
    var notes: [String] = []
    /// Runs when a session ends by logout (UserEcho ends the person's forum sessions).
    var onLogout: (@Sendable (Session) -> Void)? = nil
    /// Where single sign-on into the app's forum starts, for the pages.
    var forumPath: String? = nil
}

extension ConfiguredProvider: Provider {
    public var id: ProviderID { settings.id }
    public var signIn: (any SignInProvider)? { configuredSignIn }
    public var proxies: [(path: String, target: ProxyTarget)] { proxyTarget.map { [("/api/" + id.rawValue, $0)] } ?? [] }
    /// Its allow-list (the pages use it for providers they have no console of their own for).
    public var console: ProviderConsole? {
        guard settings.apiURL != nil, !settings.allowList.isEmpty else { return nil }
        return ProviderConsole(api: "/api/" + id.rawValue, endpoints: settings.allowList)
    }
}

/// A provider's entry in the pages' API console: where its proxy is and what it forwards.
public struct ProviderConsole: Sendable, Equatable {
    /// The proxy's mount, e.g. `/api/demo`.
    public var api: String
    /// The forwarded endpoints as `METHOD /path` lines, `{id}` a number and `{name}` text.
    public var endpoints: [String]

    public init(api: String, endpoints: [String]) {
        (self.api, self.endpoints) = (api, endpoints)
    }
}
