import Prometheus

/// Proxy metrics: upstream latency and statuses per endpoint, and refusals per reason.
public struct ProxyMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    private let refusals = MetricHandles<String, Counter>()
    private let responses = MetricHandles<ResponseKey, Counter>()
    private let durations = MetricHandles<EndpointKey, DurationHistogram>()
    /// Proxied requests answered on the event loop (``ProxyFastPath``) rather than by the router.
    let fastPathAnswers: Counter

    private struct ResponseKey: Hashable, Sendable {
        let endpoint: EndpointKey
        let status: Int
    }

    private struct EndpointKey: Hashable, Sendable {
        let provider: ProviderID
        let endpoint: String
    }

    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        self.fastPathAnswers = registry.makeCounter(
            descriptor: .init(
                namespace: "thingbridge", metricName: "proxy_fast_path", unitName: "total",
                helpText: "Proxied requests answered on the connection's event loop instead of by the router."))
    }

    /// A request refused before Thingiverse saw it: `allow_list`, `unauthenticated`, `budget`, `csrf`, `cors_origin`.
    func refused(_ reason: String) {
        refusals.handle(reason) {
            registry.makeCounter(
                descriptor: .init(
                    namespace: "thingbridge", metricName: "proxy_refused", unitName: "total",
                    helpText: "Proxy requests refused before reaching the provider."),
                labels: [("reason", reason)]
            )
        }.increment()
    }

    /// An upstream answer (or failure: status 0) and how long it took to arrive.
    func upstream(provider: ProviderID, endpoint: String, status: Int, duration: Duration) {
        let key = EndpointKey(provider: provider, endpoint: endpoint)
        responses.handle(ResponseKey(endpoint: key, status: status)) {
            registry.makeCounter(
                descriptor: .init(
                    namespace: "thingbridge", metricName: "upstream_responses", unitName: "total",
                    helpText: "Answers from the providers by endpoint and status (0: no answer)."),
                labels: [("provider", provider.rawValue), ("endpoint", endpoint), ("status", String(status))]
            )
        }.increment()
        durations.handle(key) {
            registry.makeDurationHistogram(
                descriptor: .init(
                    namespace: "thingbridge", metricName: "upstream_duration", unitName: "seconds",
                    helpText: "Time until the provider's answer head arrived."),
                labels: [("provider", provider.rawValue), ("endpoint", endpoint)],
                buckets: [
                    .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2),
                    .seconds(5), .seconds(20),
                ]
            )
        }.record(duration)
    }
}
