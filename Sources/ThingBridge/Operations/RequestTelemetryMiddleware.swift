import HTTPTypes
import Hummingbird
import Logging
import Prometheus

/// One log line and the HTTP metrics for every request.
///
/// Logs and labels use the matched route template (`/webhooks/thingiverse/{secret}`), never the
/// raw path or query, so secrets in URLs cannot reach a log line or `/metrics`.
public struct RequestTelemetryMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: HTTPMetrics

    public init(metrics: HTTPMetrics) {
        self.metrics = metrics
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        metrics.inFlight.increment()
        defer { metrics.inFlight.decrement() }
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            // ErrorMiddleware answers everything; this only sees errors thrown outside it.
            response = ErrorResponse.make(AppError(.internalServerError, "internal_error", "Something went wrong on our side."), for: request)
        }
        response.headers[.requestID] = context.id
        let elapsed = ContinuousClock.now - start
        // Requests no route matched are labelled together, so random paths cannot grow the metrics.
        let route = context.endpointPath.flatMap { $0 == "NotFound" ? nil : $0 } ?? "unmatched"
        metrics.record(method: request.method.rawValue, route: route, status: response.status.code, duration: elapsed)
        context.logger.info(
            "request",
            metadata: [
                "http.method": .string(request.method.rawValue),
                "http.route": .string(route),
                "http.status": .stringConvertible(response.status.code),
                "duration_ms": .string(Self.milliseconds(elapsed)),
                "request_id": .string(context.id),
            ]
        )
        return response
    }

    /// `elapsed` in milliseconds with three decimals (`12.345`), in integer arithmetic: this is on
    /// every request's log line, where printing a `Double` costs more than the rest of the line.
    static func milliseconds(_ elapsed: Duration) -> String {
        let (seconds, attoseconds) = elapsed.components
        let microseconds = max(0, seconds) * 1_000_000 + max(0, attoseconds) / 1_000_000_000_000
        let fraction = microseconds % 1_000
        let digits = fraction < 10 ? "00" : fraction < 100 ? "0" : ""
        return String(microseconds / 1_000) + "." + digits + String(fraction)
    }
}

/// The HTTP server metrics, registered on one Prometheus registry (not the global one, so
/// every test application has its own).
public struct HTTPMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    let inFlight: Gauge
    private let counters = MetricHandles<CounterKey, Counter>()
    private let histograms = MetricHandles<String, DurationHistogram>()

    private struct CounterKey: Hashable, Sendable {
        let method: String
        let route: String
        let status: Int
    }

    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        self.inFlight = registry.makeGauge(
            descriptor: .init(namespace: "thingbridge", metricName: "http_requests_in_flight", unitName: "", helpText: "Requests being answered now.")
        )
    }

    func record(method: String, route: String, status: Int, duration: Duration) {
        counters.handle(CounterKey(method: method, route: route, status: status)) {
            registry.makeCounter(
                descriptor: .init(namespace: "thingbridge", metricName: "http_requests", unitName: "total", helpText: "HTTP requests answered."),
                labels: [("method", method), ("route", route), ("status", String(status))]
            )
        }.increment()
        histograms.handle(route) {
            registry.makeDurationHistogram(
                descriptor: .init(
                    namespace: "thingbridge", metricName: "http_request_duration", unitName: "seconds", helpText: "Time to answer HTTP requests."),
                labels: [("route", route)],
                buckets: [
                    .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                    .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
                ]
            )
        }.record(duration)
    }
}
