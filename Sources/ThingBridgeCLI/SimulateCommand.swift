import ArgumentParser
import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import ThingiverseSimulator
import UnixSignals

/// `thingbridge simulate`: the Thingiverse simulator on its own port, and a webhook sender.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run the Thingiverse simulator on its own port, or send simulated webhooks.",
        subcommands: [Serve.self, Webhook.self, Scenario.self],
        defaultSubcommand: Serve.self
    )

    /// `thingbridge simulate [--port N]`: a standalone fake Thingiverse.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the simulator (the default).")

        @Option(help: "Listen address.") var host = "127.0.0.1"
        @Option(help: "Listen port.") var port = 9090
        @Option(help: "The registered app's client id.") var clientID = "thingbridge-local"
        @Option(help: "The registered app's client secret.") var clientSecret = "thingbridge-local-secret"
        @Option(help: "The registered app's callback URL.") var redirectURI = "http://127.0.0.1:8080/auth/callback"

        func run() async throws {
            let base = "http://\(host):\(port)"
            let app = SimulatorApp(name: "ThingBridge (local)", clientID: clientID, clientSecret: clientSecret, redirectURI: redirectURI)
            let simulator = ThingiverseSimulator(configuration: SimulatorConfiguration(webBaseURL: base, apiBaseURL: base + "/api", apps: [app]))
            var logger = Logger(label: "simulator")
            logger.logLevel = .notice
            say(
                """
                Thingiverse simulator on \(base)
                  THINGIVERSE_WEB_URL=\(base)
                  THINGIVERSE_API_URL=\(base)/api
                  THINGIVERSE_CLIENT_ID=\(clientID)
                  THINGIVERSE_CLIENT_SECRET=\(clientSecret)
                  callback (redirect_uri): \(redirectURI)
                  users: \(simulator.seededUsers.joined(separator: ", "))
                Open \(base)/login/oauth/authorize?client_id=\(clientID)&response_type=code&state=try-me to sign in.
                """
            )
            let application = makeStandaloneSimulatorApplication(simulator: simulator, host: host, port: port, logger: logger)
            let group = ServiceGroup(
                configuration: .init(services: [.init(service: application)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            )
            try await group.run()
        }
    }

    /// `thingbridge simulate webhook EVENT --to URL`: sends one realistic webhook.
    struct Webhook: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "webhook", abstract: "Send one webhook shaped exactly like Thingiverse's.")

        @Argument(help: "ping, order_created, refund_requested or order_refunded (or any other name).") var event: String
        @Option(help: "The webhook URL, e.g. http://127.0.0.1:8080/webhooks/thingiverse/SECRET.") var to: String
        @Option(help: "The order id.") var orderID = "1234"

        func run() async throws {
            let body = event == "ping" ? WebhookPayload.ping() : WebhookPayload.order(event: event, order: .sample(id: orderID))
            try await withSender { sender in
                let reply = try await sender.send(body, to: to)
                say("\(event) -> HTTP \(reply.status) \(reply.body)")
                if !(200..<300).contains(reply.status) { throw ExitCode(1) }
            }
        }
    }

    /// `thingbridge simulate scenario NAME --to URL`: sends a sequence of events for one order.
    struct Scenario: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "scenario", abstract: "Send a scenario of webhooks for one order.")

        @Argument(help: "lifecycle (created, refund requested, refunded) or shuffled (out of order, duplicated).")
        var name: String
        @Option(help: "The webhook URL.") var to: String
        @Option(help: "The order id.") var orderID = "1234"

        func run() async throws {
            guard let scenario = WebhookScenario(rawValue: name) else {
                throw ValidationError(
                    "unknown scenario \"\(name)\"; choose one of \(WebhookScenario.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            try await withSender { sender in
                for result in try await sender.runScenario(scenario, to: to, orderID: orderID) {
                    say("\(result.event) -> HTTP \(result.status)")
                }
            }
        }
    }
}

/// Runs `body` with a webhook sender whose HTTP client is shut down afterwards.
private func withSender(_ body: (WebhookSender) async throws -> Void) async throws {
    let client = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: .init(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: .seconds(30))))
    do {
        try await body(WebhookSender(httpClient: client))
        try await client.shutdown()
    } catch {
        try? await client.shutdown()
        throw error
    }
}
