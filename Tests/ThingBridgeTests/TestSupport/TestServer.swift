import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import Testing
import ThingBridgeDevelopment
import Tracing

@testable import ThingBridge

/// Builds the real application from a test configuration and drives it over HTTP.
enum TestServer {
    /// The mode ``run(_:mode:logs:registry:_:)`` uses when not told: `.router` (no sockets), or
    /// `.live` where a suite runs the same tests through the channel pipeline (the proxy's fast path).
    @TaskLocal static var defaultMode: Mode = .router

    enum Mode: Sendable {
        case router
        case live

        var setup: TestingSetup { self == .router ? .router : .live }
    }

    static func run<Value: Sendable>(
        _ configuration: ThingBridgeConfiguration,
        mode: TestingSetup? = nil,
        logs: CapturedLogs = CapturedLogs(),
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        tracer: (any Tracer)? = nil,
        _ test: @Sendable (ThingBridgeServer, any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        // Development mode as `thingbridge serve` builds it: the simulators from ThingBridgeDevelopment.
        let server = try await buildApplication(
            configuration: configuration, logger: logs.logger(), registry: registry, development: DevelopmentSimulators(configuration: configuration),
            tracer: tracer)
        return try await server.application.test(mode ?? defaultMode.setup) { client in
            try await test(server, client)
        }
    }
}

extension TestResponse {
    /// The body as text.
    var text: String { String(buffer: body) }

    /// The body decoded as the `{"error", "message"}` shape.
    func errorBody() throws -> (error: String, message: String) {
        struct Body: Decodable {
            let error: String
            let message: String
        }
        let decoded = try JSONDecoder().decode(Body.self, from: Data(body.readableBytesView))
        return (decoded.error, decoded.message)
    }
}

extension TestClientProtocol {
    /// GETs `uri` (with `headers`) and expects `200 OK`.
    func getOK(_ uri: String, headers: HTTPFields = [:], sourceLocation: SourceLocation = #_sourceLocation) async throws -> TestResponse {
        let response = try await execute(uri: uri, method: .get, headers: headers)
        #expect(response.status == .ok, "GET \(uri) answered \(response.status): \(response.text)", sourceLocation: sourceLocation)
        return response
    }
}
