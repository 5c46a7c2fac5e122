import Hummingbird
import ServiceLifecycle
import ThingiverseSimulator

/// The built-in simulators that stand in for providers without credentials in development
/// mode, registered with ThingBridge as their app and mounted below `/sim/`. Production never
/// has any (the configuration refuses to start without Thingiverse credentials there).
struct DevelopmentSimulators: Sendable {
    let thingiverse: ThingiverseSimulator?
    let thingiverseSettings: ThingBridgeConfiguration.Thingiverse?
    let flattr: FlattrSimulator?
    let flattrSettings: ThingBridgeConfiguration.Flattr?
    let userecho: UserEchoSimulator?
    let userechoSettings: ThingBridgeConfiguration.UserEcho?
    /// Configured providers without settings, each with the generic OAuth2 simulator standing in.
    let configured: [(settings: ConfiguredProviderSettings, simulator: OAuth2ProviderSimulator)]
    /// Lines for the person starting the server.
    let notes: [String]

    init(configuration: ThingBridgeConfiguration) {
        let publicURL = configuration.publicURL
        var notes: [String] = []
        if configuration.thingiverse == nil {
            let app = SimulatorApp(
                name: "ThingBridge (development)", clientID: "thingbridge-development",
                clientSecret: randomToken(bytes: 24), redirectURI: publicURL + "/auth/callback")
            let simulator = ThingiverseSimulator(
                configuration: SimulatorConfiguration(webBaseURL: publicURL + "/sim", apiBaseURL: publicURL + "/sim/api", apps: [app]))
            thingiverse = simulator
            thingiverseSettings = ThingBridgeConfiguration.Thingiverse(
                clientID: app.clientID, clientSecret: Secret(app.clientSecret),
                webURL: simulator.configuration.webBaseURL, apiURL: simulator.configuration.apiBaseURL, appToken: nil)
            notes.append("DEVELOPMENT MODE: no THINGIVERSE_CLIENT_ID is set, so the built-in Thingiverse simulator answers at \(publicURL)/sim")
        } else {
            thingiverse = nil
            thingiverseSettings = nil
        }
        if configuration.usesFlattrSimulator {
            let app = FlattrSimulatorApp(
                name: "ThingBridge (development)", clientID: "thingbridge-development",
                clientSecret: randomToken(bytes: 24), redirectURI: publicURL + "/auth/flattr/callback")
            let simulator = FlattrSimulator(
                configuration: FlattrSimulatorConfiguration(
                    webBaseURL: publicURL + "/sim/flattr", apiBaseURL: publicURL + "/sim/flattr/api", apps: [app]))
            flattr = simulator
            flattrSettings = ThingBridgeConfiguration.Flattr(
                clientID: app.clientID, clientSecret: Secret(app.clientSecret),
                webURL: simulator.configuration.webBaseURL, apiURL: simulator.configuration.apiBaseURL)
            notes.append("DEVELOPMENT MODE: no FLATTR_CLIENT_ID is set, so the built-in Flattr simulator answers at \(publicURL)/sim/flattr")
        } else {
            flattr = nil
            flattrSettings = nil
        }
        if configuration.usesUserEchoSimulator {
            let simulator = UserEchoSimulator(
                configuration: UserEchoSimulatorConfiguration(
                    baseURL: publicURL + "/sim/userecho", apiKey: randomToken(bytes: 24), ssoKey: String(randomToken(bytes: 32).prefix(32)),
                    webhookKey: randomToken(bytes: 24)))
            let simulated = simulator.configuration
            userecho = simulator
            userechoSettings = ThingBridgeConfiguration.UserEcho(
                url: simulated.baseURL, apiKey: Secret(simulated.apiKey), ssoKey: Secret(simulated.ssoKey),
                webhookKey: simulated.webhookKey.map(Secret.init))
            notes.append("DEVELOPMENT MODE: no USERECHO_URL is set, so the built-in UserEcho forum simulator answers at \(publicURL)/sim/userecho")
        } else {
            userecho = nil
            userechoSettings = nil
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
        self.notes = notes
    }

    /// A configured provider's settings as they are used: the simulator's where it stands in.
    func settings(for provider: ConfiguredProviderSettings) -> ConfiguredProviderSettings {
        configured.first { $0.settings.id == provider.id }?.settings ?? provider
    }

    /// Adds the simulators' pages and APIs to the router.
    func mount(on router: Router<AppRequestContext>) {
        if let thingiverse {
            router.addRoutes(thingiverse.routes(context: AppRequestContext.self, webPrefix: "/sim", apiPrefix: "/sim/api"))
        }
        if let flattr {
            router.addRoutes(flattr.routes(context: AppRequestContext.self, webPrefix: "/sim/flattr", apiPrefix: "/sim/flattr/api"))
        }
        if let userecho {
            router.addRoutes(userecho.routes(context: AppRequestContext.self, prefix: "/sim/userecho"))
        }
        for (settings, simulator) in configured {
            router.addRoutes(simulator.routes(context: AppRequestContext.self, prefix: "/sim/oauth2/" + settings.id.rawValue))
        }
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
