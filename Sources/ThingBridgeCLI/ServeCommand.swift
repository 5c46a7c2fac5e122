import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Metrics
import OTel
import Prometheus
import ServiceLifecycle
import ThingBridge
import ThingBridgeDevelopment
import Tracing
import UnixSignals

/// `thingbridge serve`: runs the server until SIGTERM or SIGINT, then drains.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the ThingBridge server (the default command).")

    @OptionGroup var settings: SettingsOptions

    func run() async throws {
        let configuration = try await settings.load()
        let tracingWanted = TracingBootstrap.wanted()
        // While tracing, every line written inside a span carries its trace_id and span_id.
        let metadataProvider: Logger.MetadataProvider? = tracingWanted ? OTel.makeLoggingMetadataProvider() : nil
        LoggingSystem.bootstrap { label in
            var handler = LineLogHandler(label: label, format: configuration.logFormat, metadataProvider: metadataProvider)
            handler.logLevel = configuration.logLevel
            return handler
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger.thingbridge(level: configuration.logLevel)
        let tracing: TracingBootstrap?
        do {
            tracing = try TracingBootstrap.fromEnvironment(logger: logger)
        } catch {
            SettingsOptions.fail("OTEL_*: \(error)")
        }
        if let tracing {
            // For libraries that look the tracer up; ThingBridge's own parts are handed it.
            InstrumentationSystem.bootstrap(tracing.tracer)
        }
        let say = Say(format: configuration.logFormat)

        let server: ThingBridgeServer
        do {
            server = try await buildApplication(
                configuration: configuration, logger: logger, registry: registry, development: DevelopmentSimulators(configuration: configuration),
                tracer: tracing?.tracer)
        } catch let error as ConfigurationError {
            SettingsOptions.fail(error.description)
        } catch let error as StorageError {
            SettingsOptions.fail("THINGBRIDGE_DATABASE_URL: \(error.description)")
        }
        // Printed, not logged: the development webhook URL carries its (generated) secret.
        for note in server.startupNotes {
            say(note)
        }
        if let tracing {
            say("Tracing: spans go to \(tracing.endpoint) over OTLP/HTTP")
        }
        say("ThingBridge listening on http://\(configuration.host):\(configuration.port) (public URL \(configuration.publicURL))")
        // The exporter first: services stop in reverse order, so it sends the last spans after the server drained.
        var groupConfiguration = ServiceGroupConfiguration(
            services: (tracing.map { [.init(service: $0.service)] } ?? []) + [.init(service: server.application)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        // Without a cap, one slow proxied stream could hold the shutdown forever.
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(configuration.shutdownTimeout)
        try await ServiceGroup(configuration: groupConfiguration).run()
    }
}
