import AsyncHTTPClient
import NIOCore
import ServiceLifecycle

/// The one outbound HTTP client, shut down after the server has drained.
struct HTTPClientService: Service {
    let client: HTTPClient

    /// Redirects are never followed (a token must not travel to another host), bodies are not
    /// decompressed, and every wait is bounded.
    ///
    /// - Parameters:
    ///   - upstreamTimeout: `THINGBRIDGE_UPSTREAM_TIMEOUT`, the read timeout.
    ///   - connectTimeout: `THINGBRIDGE_CONNECT_TIMEOUT`, the bound on opening a connection.
    static func makeClient(upstreamTimeout: Int, connectTimeout: Int) -> HTTPClient {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(Int64(connectTimeout)), read: .seconds(Int64(upstreamTimeout))),
            decompression: .disabled
        )
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
        // A refused connection is an answer: fail the requests waiting for it at once (502, or a
        // relay retry on its schedule) instead of retrying the connect until the connect timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        // No tracer is bootstrapped; without this every request still opens a no-op span (2% of a proxied request's CPU).
        configuration.tracing.tracer = nil
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}
