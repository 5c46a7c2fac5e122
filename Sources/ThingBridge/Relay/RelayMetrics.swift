import Prometheus

/// Relay metrics: attempts by endpoint id (never its URL, which may hold a token) and outcome,
/// attempt latency, and the backlog.
public struct RelayMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    private let backlog: Gauge
    private let oldestPending: Gauge
    private let attempts = MetricHandles<[String], Counter>()
    private let durations = MetricHandles<String, DurationHistogram>()

    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        backlog = registry.makeGauge(
            descriptor: .init(
                namespace: "thingbridge", metricName: "relay_backlog", unitName: "",
                helpText: "Relay deliveries waiting to be sent to enabled endpoints."))
        oldestPending = registry.makeGauge(
            descriptor: .init(
                namespace: "thingbridge", metricName: "relay_oldest_pending_age", unitName: "seconds",
                helpText: "Age of the oldest waiting relay delivery (0: none)."))
    }

    /// One attempt: `delivered`, `retry`, `failed` or `gone`.
    func attempt(endpoint: String, outcome: String, duration: Duration) {
        attempts.handle([endpoint, outcome]) {
            registry.makeCounter(
                descriptor: .init(
                    namespace: "thingbridge", metricName: "relay_attempts", unitName: "total",
                    helpText: "Relay delivery attempts by endpoint and outcome."),
                labels: [("endpoint", endpoint), ("outcome", outcome)]
            )
        }.increment()
        durations.handle(endpoint) {
            registry.makeDurationHistogram(
                descriptor: .init(
                    namespace: "thingbridge", metricName: "relay_attempt_duration", unitName: "seconds",
                    helpText: "Time until a relay endpoint answered (or gave up)."),
                labels: [("endpoint", endpoint)],
                buckets: [
                    .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2),
                    .seconds(5), .seconds(15),
                ]
            )
        }.record(duration)
    }

    func backlog(count: Int, oldestAge: Double) {
        backlog.set(Double(count))
        oldestPending.set(oldestAge)
    }
}
