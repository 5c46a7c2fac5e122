import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import ThingBridge
import ThingBridgeDevelopment
import UnixSignals

/// `thingbridge serve`: runs the server until SIGTERM or SIGINT, then drains.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the ThingBridge server (the default command).")

    @OptionGroup var settings: SettingsOptions

    func run() async throws {
        let configuration = try await settings.load()
        LoggingSystem.bootstrap { label in
            var handler = LineLogHandler(label: label)
            handler.logLevel = configuration.logLevel
            return handler
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger.thingbridge(level: configuration.logLevel)

        let server: ThingBridgeServer
        do {
            server = try await buildApplication(
                configuration: configuration, logger: logger, registry: registry, development: DevelopmentSimulators(configuration: configuration))
        } catch let error as ConfigurationError {
            SettingsOptions.fail(error.description)
        } catch let error as StorageError {
            SettingsOptions.fail("THINGBRIDGE_DATABASE_URL: \(error.description)")
        }
        // Printed, not logged: the development webhook URL carries its (generated) secret.
        for note in server.startupNotes {
            say(note)
        }
        say("ThingBridge listening on http://\(configuration.host):\(configuration.port) (public URL \(configuration.publicURL))")
        var groupConfiguration = ServiceGroupConfiguration(
            services: [.init(service: server.application)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        // Without a cap, one slow proxied stream could hold the shutdown forever.
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(configuration.shutdownTimeout)
        try await ServiceGroup(configuration: groupConfiguration).run()
    }
}
