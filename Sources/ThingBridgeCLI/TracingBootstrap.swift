import Foundation
import Logging
import OTel
import ServiceLifecycle
import Tracing

/// OpenTelemetry tracing as the standard `OTEL_*` variables ask for it: spans exported over
/// OTLP/HTTP (protobuf) when `OTEL_EXPORTER_OTLP_ENDPOINT` (or its traces-only form) is set.
/// Without one, no exporter starts and the application gets no tracer, so no path pays for it.
///
/// Only traces: the logs stay ThingBridge's own lines (with `trace_id`/`span_id` added while a
/// span is active) and the metrics stay on `/metrics`.
struct TracingBootstrap {
    /// The tracer handed to the application, and the service that batches and exports its spans.
    let tracer: any Tracer
    let service: any Service
    /// Where spans go, for the start-up line (the endpoint only: headers may hold a key).
    let endpoint: String

    /// The endpoint the environment names, if any (`OTEL_SDK_DISABLED=true` turns it off).
    static func endpoint(in environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if environment["OTEL_SDK_DISABLED"]?.lowercased() == "true" { return nil }
        return [environment["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"], environment["OTEL_EXPORTER_OTLP_ENDPOINT"]]
            .compactMap { $0?.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty }
    }

    /// Whether tracing will start: known before logging is set up, which adds the span ids then.
    static func wanted() -> Bool { endpoint() != nil }

    /// Tracing when the environment configures an endpoint; `nil` otherwise.
    static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment, logger: Logger) throws -> TracingBootstrap? {
        guard let endpoint = endpoint(in: environment) else { return nil }
        var configuration = OTel.Configuration.default
        configuration.serviceName = "thingbridge"
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.traces.exporter = .otlp
        configuration.traces.otlpExporter.protocol = .httpProtobuf
        // The exporter's own troubles (a collector down) go to ThingBridge's log, in its format.
        configuration.diagnosticLogger = .custom(logger)
        // The environment (OTEL_SERVICE_NAME, OTEL_TRACES_SAMPLER, OTEL_EXPORTER_OTLP_HEADERS, ...) wins.
        let backend = try OTel.makeTracingBackend(configuration: configuration)
        return TracingBootstrap(tracer: backend.factory, service: backend.service, endpoint: endpoint)
    }
}
