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
        // The exporter's own troubles (a collector down) go to ThingBridge's log, in its format,
        // without the values of OTEL_EXPORTER_OTLP_*HEADERS (a vendor's key).
        configuration.diagnosticLogger = .custom(Logger(label: "thingbridge") { _ in RedactingHeadersLogHandler(logger.handler) })
        // The environment (OTEL_SERVICE_NAME, OTEL_TRACES_SAMPLER, OTEL_EXPORTER_OTLP_HEADERS, ...) wins.
        let backend = try OTel.makeTracingBackend(configuration: configuration)
        return TracingBootstrap(tracer: backend.factory, service: backend.service, endpoint: endpoint)
    }
}

/// swift-otel's diagnostic logger reports each `OTEL_*` variable it applies with its value;
/// for the headers variables (which carry a collector's credentials) the values are dropped.
struct RedactingHeadersLogHandler: LogHandler {
    var inner: any LogHandler
    var metadataProvider: Logger.MetadataProvider? {
        get { inner.metadataProvider }
        set { inner.metadataProvider = newValue }
    }

    init(_ inner: any LogHandler) {
        self.inner = inner
    }

    var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        guard case .string(let key)? = inner.metadata["environment_key"] ?? event.metadata?["environment_key"], key.contains("HEADERS") else {
            return inner.log(event: event)
        }
        var inner = self.inner
        var event = event
        for name in ["environment_value", "previous_value", "new_value"] {
            if inner.metadata[name] != nil { inner.metadata[name] = "<redacted>" }
            if event.metadata?[name] != nil { event.metadata?[name] = "<redacted>" }
        }
        inner.log(event: event)
    }
}
