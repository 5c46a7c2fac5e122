import Hummingbird
import Logging

/// Builds a Hummingbird application that serves only the simulator (for
/// `thingbridge simulate --port N`): OAuth pages at the root, the API at `/api`, and a short
/// index page at `/`. Prints nothing itself.
/// - Parameters:
///   - simulator: configure its `webBaseURL` as `http://HOST:PORT` and `apiBaseURL` as
///     `http://HOST:PORT/api`
///   - host: address to listen on
///   - port: port to listen on (0 picks a free one)
///   - logger: the application's logger
public func makeStandaloneSimulatorApplication(
    simulator: ThingiverseSimulator, host: String, port: Int, logger: Logger
) -> some ApplicationProtocol {
    let router = Router()
    router.addRoutes(simulator.routes(context: BasicRequestContext.self, webPrefix: "", apiPrefix: "/api"))
    router.get("/") { _, _ in
        Response.html(StandaloneIndexPage.render(simulator: simulator))
    }
    return Application(
        router: router,
        server: .http1(configuration: .init(idleTimeout: .seconds(60))),
        configuration: .init(address: .hostname(host, port: port), serverName: "ThingiverseSimulator"),
        logger: logger
    )
}

/// The standalone server's front page: what is here and how to start a sign-in.
enum StandaloneIndexPage {
    static func render(simulator: ThingiverseSimulator) -> String {
        let configuration = simulator.configuration
        let apps = configuration.apps.map { app in
            let link =
                "\(configuration.web)/login/oauth/authorize?"
                + FormEncoding.encode([("client_id", app.clientID), ("response_type", "code")])
            return "<li><a href=\"\(HTML.escape(link))\">Sign in to \(HTML.escape(app.name))</a> "
                + "(client_id <code>\(HTML.escape(app.clientID))</code>)</li>"
        }.joined(separator: "\n")
        let body = """
            <h1>Thingiverse Simulator</h1>
            <p>A fake www.thingiverse.com and api.thingiverse.com for development.</p>
            <ul>
            \(apps.isEmpty ? "<li>No apps are registered.</li>" : apps)
            </ul>
            <p class="note">API: <code>\(HTML.escape(configuration.api))</code>.
            Faults: <code>\(HTML.escape(configuration.web))/_control/faults</code>.</p>
            """
        return HTML.page(title: "Thingiverse Simulator", body: body)
    }
}
