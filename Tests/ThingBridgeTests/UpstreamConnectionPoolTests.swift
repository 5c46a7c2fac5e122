import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization
import Testing

@testable import ThingBridge

/// The fast path's connections to a provider: https with the host name checked, kept and used
/// again, a slow provider timed out, a refused connection failing at once.
@Suite struct UpstreamConnectionPoolTests {
    @Test func anHTTPSProviderIsReachedWithItsNameCheckedAndItsConnectionKept() async throws {
        try await FixedUpstream.run(tls: true) { port, connections in
            let pool = Self.pool(trusting: true)
            let origin = try #require(UpstreamConnectionPool.Origin(url: "https://localhost:\(port)/rest"))
            for _ in 0..<3 {
                let answer = try await Self.get(pool, origin, "/rest/things/1")
                #expect(answer.status == 200)
                #expect(answer.body == FixedUpstream.body)
            }
            // Three answers on one kept connection.
            #expect(connections.value == 1)
        }
    }

    @Test func anHTTPSProviderWithACertificateWeDoNotTrustIsUnreachable() async throws {
        try await FixedUpstream.run(tls: true) { port, _ in
            let origin = try #require(UpstreamConnectionPool.Origin(url: "https://localhost:\(port)"))
            let answer = try await Self.get(Self.pool(trusting: false), origin, "/things/1")
            #expect(answer.failure == .unreachable)
        }
    }

    @Test func aSlowProviderTimesOutAndARefusedConnectionFailsAtOnce() async throws {
        try await FixedUpstream.run(tls: false, delay: .seconds(3)) { port, _ in
            let origin = try #require(UpstreamConnectionPool.Origin(url: "http://127.0.0.1:\(port)"))
            let answer = try await Self.get(Self.pool(trusting: false), origin, "/things/1")
            #expect(answer.failure == .timedOut)
        }
        let closed = try #require(UpstreamConnectionPool.Origin(url: "http://127.0.0.1:1"))
        let start = ContinuousClock.now
        let answer = try await Self.get(Self.pool(trusting: false), closed, "/things/1")
        #expect(answer.failure == .unreachable)
        #expect(ContinuousClock.now - start < .seconds(1))
    }

    @Test(arguments: [
        ("https://api.thingiverse.com", true, "api.thingiverse.com", 443, "api.thingiverse.com"),
        ("http://127.0.0.1:8080/rest/v2", false, "127.0.0.1", 8080, "127.0.0.1:8080"),
        ("http://[::1]:9000/x", false, "::1", 9000, "[::1]:9000"),
    ])
    func originsAreReadFromAPIURLs(url: String, tls: Bool, host: String, port: Int, hostHeader: String) throws {
        let origin = try #require(UpstreamConnectionPool.Origin(url: url))
        #expect(origin.tls == tls && origin.host == host && origin.port == port && origin.hostHeader == hostHeader)
    }

    @Test(arguments: ["ftp://example.com", "https://user@example.com", "https://", "http://example.com:99999", "http://[::1"])
    func otherURLsHaveNoOrigin(url: String) {
        #expect(UpstreamConnectionPool.Origin(url: url) == nil)
    }

    // MARK: Helpers

    static func pool(trusting: Bool) -> UpstreamConnectionPool {
        var tls = TLSConfiguration.makeClientConfiguration()
        if trusting {
            tls.trustRoots = .certificates(try! NIOSSLCertificate.fromPEMBytes(Array(FixedUpstream.certificate.utf8)))
        }
        return UpstreamConnectionPool(connectTimeout: .seconds(2), readTimeout: .seconds(1), tls: tls)
    }

    struct Answer: Sendable {
        var status: Int?
        var body = ""
        var failure: UpstreamError.Kind?
    }

    /// Connections are kept per event loop: every exchange here runs on this one.
    static let loop = MultiThreadedEventLoopGroup.singleton.next()

    /// One GET through the pool on an event loop, as the fast path sends it.
    static func get(_ pool: UpstreamConnectionPool, _ origin: UpstreamConnectionPool.Origin, _ path: String) async throws -> Answer {
        let loop = Self.loop
        let promise = loop.makePromise(of: Answer.self)
        loop.execute {
            var answer = Answer()
            var headers = HTTPHeaders()
            headers.add(name: "Host", value: origin.hostHeader)
            // The exchange lives while its answer comes, as the fast path's request holds it.
            var running: UpstreamExchange?
            running = UpstreamExchange(
                connections: pool.connections(on: loop), origin: origin,
                head: HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers)
            ) { event in
                switch event {
                case .head(let head): answer.status = Int(head.status.code)
                case .body(let buffer): answer.body += String(buffer: buffer)
                case .end:
                    running = nil
                    promise.succeed(answer)
                case .failed(let kind):
                    answer.failure = kind
                    running = nil
                    promise.succeed(answer)
                }
            }
            running?.start()
        }
        return try await promise.futureResult.get()
    }
}

/// A count shared between tasks.
final class Tally: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

/// A provider on a local port answering every request with the same JSON, over TLS (a
/// self-signed certificate for `localhost`, made for these tests) or plain, counting connections.
enum FixedUpstream {
    static let body = #"{"id":1,"name":"Articulated Dragon"}"#

    static func run(
        tls: Bool, delay: TimeAmount = .zero, _ body: @Sendable (Int, Tally) async throws -> Void
    ) async throws {
        let connections = Tally()
        let context = tls ? try NIOSSLContext(configuration: serverConfiguration()) : nil
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                connections.add()
                return channel.eventLoop.makeCompletedFuture {
                    if let context {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Responder(delay: delay))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        do {
            try await body(channel.localAddress!.port!, connections)
        } catch {
            try? await channel.close()
            throw error
        }
        try await channel.close()
    }

    static func serverConfiguration() throws -> TLSConfiguration {
        TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try NIOSSLCertificate.fromPEMBytes(Array(certificate.utf8))[0])],
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(privateKey.utf8), format: .pem)))
    }

    final class Responder: ChannelInboundHandler, @unchecked Sendable {
        // @unchecked: one per connection, used on its event loop only.
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let delay: TimeAmount

        init(delay: TimeAmount) { self.delay = delay }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .end = unwrapInboundIn(data) else { return }
            let answer = {
                var headers = HTTPHeaders()
                headers.add(name: "Content-Type", value: "application/json")
                headers.add(name: "Content-Length", value: String(FixedUpstream.body.utf8.count))
                context.write(self.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
                context.write(self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: FixedUpstream.body)))), promise: nil)
                context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)
            }
            if delay == .zero {
                answer()
            } else {
                context.eventLoop.assumeIsolated().scheduleTask(in: delay, answer)
            }
        }
    }

    /// A self-signed certificate for `localhost` (ECDSA P-256, valid until 2126), made for these tests only.
    static let certificate = """
        -----BEGIN CERTIFICATE-----
        MIIBlTCCATugAwIBAgIUQrPwr+c0GFmknDsMWgqZcYvvPKAwCgYIKoZIzj0EAwIw
        FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTIwNjExMTcxNVoYDzIxMjYxMTEy
        MTExNzE1WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
        PQMBBwNCAARk+rIDTb4oPyXamIrubLyJfS2RT7njL+wbYzGr14pitdxuv63xObuM
        I3Tnrl9Hr73pHIFjP9Phjl5uLyvD9tuho2kwZzAdBgNVHQ4EFgQUegKVSZHvRB59
        VsWMlC/MPda6tHIwHwYDVR0jBBgwFoAUegKVSZHvRB59VsWMlC/MPda6tHIwDwYD
        VR0TAQH/BAUwAwEB/zAUBgNVHREEDTALgglsb2NhbGhvc3QwCgYIKoZIzj0EAwID
        SAAwRQIhAP9K6kK9cNl9By/ryqCv74hejU3xIySSGREHf6CQg7u6AiA74C9hSHY9
        vVP0f7TpHd7KVL69X0zSApMtddxwfGt4sA==
        -----END CERTIFICATE-----
        """

    /// The key of that certificate; it protects nothing but these tests.
    static let privateKey = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgTgvrIfqg8lAiMmwv
        7orrsRShy7MgAQSUyDzpjLdSUnmhRANCAARk+rIDTb4oPyXamIrubLyJfS2RT7nj
        L+wbYzGr14pitdxuv63xObuMI3Tnrl9Hr73pHIFjP9Phjl5uLyvD9tuh
        -----END PRIVATE KEY-----
        """
}
