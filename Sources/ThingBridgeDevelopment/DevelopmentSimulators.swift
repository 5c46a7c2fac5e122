import Hummingbird
import ServiceLifecycle
import ThingBridge
import ThingiverseSimulator

/// The built-in simulators that stand in for providers without credentials in development
/// mode, registered with ThingBridge as their app and mounted below `/sim/`. Production never
/// has any (the configuration refuses to start without Thingiverse credentials there).
public struct DevelopmentSimulators: DevelopmentEnvironment {
    public let thingiverse: ThingBridgeConfiguration.Thingiverse?
    public let flattr: ThingBridgeConfiguration.Flattr?
    public let userecho: ThingBridgeConfiguration.UserEcho?
    public let notes: [String]
    /// The simulated Thingiverse, when it stands in for the real one.
    public let thingiverseSimulator: ThingiverseSimulator?
    /// The simulated Flattr, when it stands in for the real one.
    public let flattrSimulator: FlattrSimulator?
    /// The simulated UserEcho forum, when it stands in for the real one.
    public let userechoSimulator: UserEchoSimulator?
    /// Configured providers without settings, each with the generic OAuth2 simulator standing in.
    let configured: [(settings: ConfiguredProviderSettings, simulator: OAuth2ProviderSimulator)]

    /// The simulators `configuration` needs, or `nil` when it needs none (production, or every
    /// provider configured).
    public init?(configuration: ThingBridgeConfiguration) {
        let publicURL = configuration.publicURL
        var notes: [String] = []
        let thingiverseSimulator =
            configuration.thingiverse == nil
            ? ThingiverseSimulator(configuration: Self.registeringThingBridge(publicURL, at: "/sim", callback: "/auth/callback")) : nil
        self.thingiverseSimulator = thingiverseSimulator
        thingiverse = thingiverseSimulator.map { Self.settings(of: $0.configuration, ThingBridgeConfiguration.Thingiverse.simulator) }
        if thingiverseSimulator != nil {
            notes.append("DEVELOPMENT MODE: no THINGIVERSE_CLIENT_ID is set, so the built-in Thingiverse simulator answers at \(publicURL)/sim")
        }
        let flattrSimulator =
            configuration.usesFlattrSimulator
            ? FlattrSimulator(configuration: Self.registeringThingBridge(publicURL, at: "/sim/flattr", callback: "/auth/flattr/callback")) : nil
        self.flattrSimulator = flattrSimulator
        flattr = flattrSimulator.map { Self.settings(of: $0.configuration, ThingBridgeConfiguration.Flattr.simulator) }
        if flattrSimulator != nil {
            notes.append("DEVELOPMENT MODE: no FLATTR_CLIENT_ID is set, so the built-in Flattr simulator answers at \(publicURL)/sim/flattr")
        }
        if configuration.usesUserEchoSimulator {
            let simulator = UserEchoSimulator(
                configuration: UserEchoSimulatorConfiguration(
                    baseURL: publicURL + "/sim/userecho", apiKey: randomToken(bytes: 24), ssoKey: String(randomToken(bytes: 32).prefix(32)),
                    webhookKey: randomToken(bytes: 24)))
            let simulated = simulator.configuration
            userechoSimulator = simulator
            userecho = .simulator(
                url: simulated.baseURL, apiKey: Secret(simulated.apiKey), ssoKey: Secret(simulated.ssoKey),
                webhookKey: simulated.webhookKey.map(Secret.init))
            notes.append("DEVELOPMENT MODE: no USERECHO_URL is set, so the built-in UserEcho forum simulator answers at \(publicURL)/sim/userecho")
        } else {
            userechoSimulator = nil
            userecho = nil
        }
        configured = configuration.configuredProviders.filter(\.usesSimulator).map { provider in
            let name = provider.id.rawValue
            let base = publicURL + "/sim/oauth2/" + name
            let simulator = OAuth2ProviderSimulator(
                configuration: .init(
                    name: "ThingBridge (development)", clientID: "thingbridge-development", clientSecret: randomToken(bytes: 24),
                    redirectURI: publicURL + "/auth/\(name)/callback"))
            var settings = provider
            settings.clientID = simulator.configuration.clientID
            settings.clientSecret = Secret(simulator.configuration.clientSecret)
            (settings.authorizeURL, settings.tokenURL, settings.userinfoURL) = (base + "/authorize", base + "/token", base + "/userinfo")
            (settings.userIDField, settings.userNameField, settings.apiURL) = ("user.id", "user.login", base + "/api")
            settings.allowList = OAuth2ProviderSimulator.allowList
            notes.append("DEVELOPMENT MODE: \(name) has no settings, so the built-in OAuth2 provider simulator answers at \(base)")
            return (settings, simulator)
        }
        guard thingiverse != nil || flattr != nil || userecho != nil || !configured.isEmpty else { return nil }
        self.notes = notes
    }

    /// A simulator's configuration with ThingBridge registered as its one app (a new secret each
    /// run), its web host at `publicURL + path` and its API below it at `/api`.
    private static func registeringThingBridge<Limits>(_ publicURL: String, at path: String, callback: String) -> OAuthProviderConfiguration<Limits> {
        let app = SimulatorApp(
            name: "ThingBridge (development)", clientID: "thingbridge-development", clientSecret: randomToken(bytes: 24),
            redirectURI: publicURL + callback)
        return OAuthProviderConfiguration(webBaseURL: publicURL + path, apiBaseURL: publicURL + path + "/api", apps: [app])
    }

    /// ThingBridge's settings for a simulator made by ``registeringThingBridge(_:at:callback:)``.
    private static func settings<Limits, Settings>(
        of simulated: OAuthProviderConfiguration<Limits>, _ make: (String, Secret, String, String) -> Settings
    ) -> Settings {
        make(simulated.apps[0].clientID, Secret(simulated.apps[0].clientSecret), simulated.webBaseURL, simulated.apiBaseURL)
    }

    public func simulated<Settings: Sendable>(_ settings: Settings.Type) -> Settings? {
        (flattr as? Settings) ?? (userecho as? Settings)
    }

    public func configuredProvider(_ provider: ConfiguredProviderSettings) -> ConfiguredProviderSettings {
        configured.first { $0.settings.id == provider.id }?.settings ?? provider
    }

    public func mount(on router: Router<AppRequestContext>, wiring: DevelopmentWiring) {
        if let thingiverseSimulator, let thingiverse {
            // The built-in Thingiverse sends its order webhooks (e.g. PATCH /orders/{id} marking
            // one shipped) to ThingBridge, as a registered app's would.
            _ = thingiverseSimulator.setWebhookURL(wiring.thingiverseWebhookURL, clientID: thingiverse.clientID)
            router.addRoutes(thingiverseSimulator.routes(context: AppRequestContext.self, webPrefix: "/sim", apiPrefix: "/sim/api"))
            let development = DevelopmentController<AppRequestContext>(
                webhookURL: wiring.thingiverseWebhookURL, simulatorURL: thingiverse.webURL, publicOrigin: wiring.publicOrigin,
                sender: WebhookSender(httpClient: wiring.httpClient))
            router.addRoutes(development.endpoints, atPath: "/dev")
        }
        if let flattrSimulator {
            router.addRoutes(flattrSimulator.routes(context: AppRequestContext.self, webPrefix: "/sim/flattr", apiPrefix: "/sim/flattr/api"))
        }
        if let userechoSimulator {
            router.addRoutes(userechoSimulator.routes(context: AppRequestContext.self, prefix: "/sim/userecho"))
        }
        for (settings, simulator) in configured {
            router.addRoutes(simulator.routes(context: AppRequestContext.self, prefix: "/sim/oauth2/" + settings.id.rawValue))
        }
    }

    public func sendForumHooks(to url: String) {
        for event in ["topic.created", "comment.created", "topic.deleted"] {
            _ = try? userechoSimulator?.registerHook(event: event, targetURL: url)  // fixed, known event names
        }
    }

    public var services: [any Service] {
        // Stopped in reverse order: Thingiverse's webhooks finish first, then the forum's hooks.
        (userechoSimulator.map { simulator in [SimulatorShutdownService { try await simulator.shutdown() }] } ?? [])
            + (thingiverseSimulator.map { simulator in [SimulatorShutdownService { try await simulator.shutdown() }] } ?? [])
    }
}

/// Lets a simulator finish the webhooks or hooks it is sending, then shuts its client down,
/// after the server has drained.
struct SimulatorShutdownService: Service {
    let shutdown: @Sendable () async throws -> Void

    func run() async throws {
        try? await gracefulShutdown()
        try await shutdown()
    }
}
