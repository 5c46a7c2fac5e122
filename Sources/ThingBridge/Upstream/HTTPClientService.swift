import AsyncHTTPClient
import NIOCore
import ServiceLifecycle

/// The one outbound HTTP client, shut down after the server has drained.
struct HTTPClientService: Service {
    let client: HTTPClient

    /// Redirects are never followed (a token must not travel to another host), bodies are not
    /// decompressed, and every wait is bounded.
    static func makeClient(upstreamTimeout: Int) -> HTTPClient {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(5), read: .seconds(Int64(upstreamTimeout))),
            decompression: .disabled
        )
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
        // No tracer is bootstrapped; without this every request still opens a no-op span (2% of a proxied request's CPU).
        configuration.tracing.tracer = nil
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}
