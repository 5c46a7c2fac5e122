import AsyncHTTPClient
import Hummingbird
import ServiceLifecycle

/// Development mode's stand-ins for providers without credentials, handed to
/// ``buildApplication(configuration:logger:registry:development:)`` by the targets that link the
/// simulators (the command-line tool and the tests, through `ThingBridgeDevelopment`), so that
/// the server library itself never links them.
public protocol DevelopmentEnvironment: Sendable {
    /// How ThingBridge reaches the simulated Thingiverse; `nil` when the real one is configured.
    var thingiverse: ThingBridgeConfiguration.Thingiverse? { get }
    /// How ThingBridge reaches the simulator standing in for another built-in provider, as that
    /// provider's settings (e.g. ``ThingBridgeConfiguration/Flattr``); `nil` when the provider is
    /// configured or off.
    func simulated<Settings: Sendable>(_ settings: Settings.Type) -> Settings?
    /// A configured provider's settings as they are used: those of a simulator standing in for
    /// it when development mode has one (``ConfiguredProviderSettings/usesSimulator``).
    func configuredProvider(_ provider: ConfiguredProviderSettings) -> ConfiguredProviderSettings
    /// Lines for the person starting the server, said before ThingBridge's own.
    var notes: [String] { get }
    /// Adds the simulators' pages and APIs (below `/sim/`) to the router, and with a simulated
    /// Thingiverse the `/dev/` helpers, and points the simulated Thingiverse's order webhooks at
    /// ThingBridge.
    func mount(on router: Router<AppRequestContext>, wiring: DevelopmentWiring)
    /// Has the simulated forum send its hooks to `url`, as a real one does after
    /// `thingbridge userecho hooks sync`.
    func sendForumHooks(to url: String)
    /// Services stopped after the server has drained: the simulators finish what they are sending.
    var services: [any Service] { get }
}

extension DevelopmentEnvironment {
    public func configuredProvider(_ provider: ConfiguredProviderSettings) -> ConfiguredProviderSettings { provider }
}

/// What ThingBridge tells development mode when it mounts it.
public struct DevelopmentWiring: Sendable {
    /// Where ThingBridge receives Thingiverse's order webhooks (the URL carries the secret).
    public let thingiverseWebhookURL: String
    /// `scheme://host[:port]` of the public URL: the one origin whose pages may have webhooks simulated.
    public let publicOrigin: String
    /// The application's one HTTP client.
    public let httpClient: HTTPClient
}

/// `/dev/info` outside development: `{"development": false}`, so pages need not fail a request to learn it.
struct DevelopmentStatus: ResponseEncodable {
    let development: Bool
}

// Development mode's stand-ins are built outside this module, where the memberwise
// initializers are not visible.
extension ThingBridgeConfiguration.Thingiverse {
    /// Settings pointing at a simulator (development mode), with no app token.
    package static func simulator(clientID: String, clientSecret: Secret, webURL: String, apiURL: String) -> Self {
        Self(clientID: clientID, clientSecret: clientSecret, webURL: webURL, apiURL: apiURL, appToken: nil)
    }
}
