import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import ThingiverseSimulator

@testable import ThingBridge

#if canImport(Glibc)
    import Glibc
#endif

/// The proxy's fast path (``ProxyFastPath``): the proxy's own tests run again through real
/// sockets, where signed-in `GET`s are answered on the event loop, and what only the channel
/// pipeline can show (the same answer as the router's, answers in request order).
@Suite struct ProxyFastPathTests {
    /// Runs `body` with every ``TestServer`` on a real socket.
    static func live(_ body: @Sendable () async throws -> Void) async throws {
        try await TestServer.$defaultMode.withValue(.live) { try await body() }
    }

    // MARK: The proxy's tests, through the pipeline

    @Test func aSessionReadsTheAPIWithItsTokenAddedServerSide() async throws {
        try await Self.live { try await ProxyTests().aSessionReadsTheAPIWithItsTokenAddedServerSide() }
    }

    @Test func aBrowserTokenIsAcceptedOnlyForThisAppAndVerdictsAreCached() async throws {
        try await Self.live { try await ProxyTests().aBrowserTokenIsAcceptedOnlyForThisAppAndVerdictsAreCached() }
    }

    @Test func textSegmentsAreReencodedAndQueriesLoseTokensAndCallbacks() async throws {
        try await Self.live { try await ProxyTests().textSegmentsAreReencodedAndQueriesLoseTokensAndCallbacks() }
    }

    @Test func cookiesStayHomeAndOnlyAPIHeadersTravel() async throws {
        try await Self.live { try await ProxyTests().cookiesStayHomeAndOnlyAPIHeadersTravel() }
    }

    @Test func redirectsArePassedToTheBrowserNotFollowed() async throws {
        try await Self.live { try await ProxyTests().redirectsArePassedToTheBrowserNotFollowed() }
    }

    @Test func paginationLinksPointBackThroughTheProxy() async throws {
        try await Self.live { try await ProxyTests().paginationLinksPointBackThroughTheProxy() }
    }

    @Test func theBudgetRefusesWith429BeforeCallingThingiverse() async throws {
        try await Self.live { try await ProxyTests().theBudgetRefusesWith429BeforeCallingThingiverse() }
    }

    @Test func anUpstream429IsPassedThroughAndPausesTheUser() async throws {
        try await Self.live { try await ProxyTests().anUpstream429IsPassedThroughAndPausesTheUser() }
    }

    @Test func upstreamErrorsPassThroughAndHTMLPagesAre502() async throws {
        try await Self.live { try await ProxyTests().upstreamErrorsPassThroughAndHTMLPagesAre502() }
    }

    @Test func anUnreachableThingiverseIs502AndASlowOne504() async throws {
        try await Self.live { try await ProxyTests().anUnreachableThingiverseIs502AndASlowOne504() }
    }

    @Test func anAllowedOriginGetsCredentialedCORSHeaders() async throws {
        try await Self.live { try await CORSTests().anAllowedOriginGetsCredentialedCORSHeaders() }
    }

    @Test(arguments: ["https://evil.example.com", "null", "https://app.example.com.evil.com"])
    func otherOriginsGetNoCORSHeaders(origin: String) async throws {
        try await Self.live { try await CORSTests().otherOriginsGetNoCORSHeaders(origin: origin) }
    }

    @Test func noCredentialsIs401AndUnknownEndpointsAre404WithoutAnUpstreamRequest() async throws {
        try await Self.live { try await ProxyTests().noCredentialsIs401AndUnknownEndpointsAre404WithoutAnUpstreamRequest() }
    }

    @Test func flattrSessionsReadThingsAndFlattrsHeadersPassThrough() async throws {
        try await Self.live { try await FlattrProxyTests().aSessionReadsThingsWithItsTokenAndFlattrsHeadersPassThrough() }
    }

    @Test func flattrLookupRedirectsAreRewrittenAndNeverFollowed() async throws {
        try await Self.live { try await FlattrProxyTests().lookupRedirectsAreRewrittenAndNeverFollowedAndUpstreamCookiesAndCORSStayBehind() }
    }

    @Test func flattrHasItsOwnBudget() async throws {
        try await Self.live { try await FlattrProxyTests().flattrHasItsOwnBudget() }
    }

    // MARK: What only the pipeline shows

    @Test func theFastPathAnswersASignedInGetAsTheRouterDoes() async throws {
        try await SignInHarness.run { harness in
            let location = ThingBridgeConfiguration.DatabaseLocation.sqlite(path: TestEnvironment.temporaryDirectory() + "/shared.sqlite")
            let uri = "/api/users/alice_prints/things?per_page=2"
            func answer(fastPath: Bool) async throws -> (TestResponse, metrics: String) {
                let configuration = try await harness.configuration([
                    "THINGBRIDGE_DATABASE_URL": location.urlForEnvironment, "THINGBRIDGE_PROXY_FAST_PATH": String(fastPath),
                    "THINGBRIDGE_CORS_ORIGINS": "https://app.example.com",
                ])
                return try await TestServer.run(configuration, mode: .live) { _, client in
                    let jar = try await harness.signIn(client)
                    var headers = jar.header
                    headers[.origin] = "https://app.example.com"
                    let response = try await client.execute(uri: uri, method: .get, headers: headers)
                    let metrics = try await client.execute(uri: "/metrics", method: .get).text
                    return (response, metrics)
                }
            }
            let (fast, fastMetrics) = try await answer(fastPath: true)
            let (routed, routedMetrics) = try await answer(fastPath: false)
            #expect(fastMetrics.contains("thingbridge_proxy_fast_path_total 1"))
            #expect(routedMetrics.contains("thingbridge_proxy_fast_path_total 0"))
            #expect(fast.status == .ok && routed.status == .ok)
            #expect(fast.text == routed.text)
            let compared: [HTTPField.Name] = [
                .contentType, HTTPField.Name("Link")!, .vary, .xContentTypeOptions, .server, .accessControlAllowOrigin,
                .accessControlAllowCredentials, .accessControlExposeHeaders, .contentLength,
            ]
            for name in compared {
                #expect(fast.headers[name] != nil, "\(name) missing on the fast path")
                #expect(fast.headers[name] == routed.headers[name], "\(name) differs")
            }
            #expect(fast.headers[.requestID] != nil && fast.headers[.date] != nil)
            // Both paths log and count the request under the same route.
            #expect(fastMetrics.contains(#"route="/api/**",status="200""#))
        }
    }

    @Test func tokensOnTheFastPathReachNoLogLineAndNoMetric() async throws {
        try await SignInHarness.run { harness in
            let logs = CapturedLogs()
            try await TestServer.run(try await harness.configuration(), mode: .live, logs: logs) { _, client in
                let jar = try await harness.signIn(client)
                let token = harness.simulator.issueToken(user: "bob_builds", clientID: SignInHarness.clientID)
                for _ in 0..<3 {
                    #expect(try await client.execute(uri: "/api/users/me", method: .get, headers: jar.header).status == .ok)
                    _ = try await client.getOK("/api/users/me", headers: [.authorization: "Bearer \(token)"])
                }
                let metrics = try await client.execute(uri: "/metrics", method: .get).text
                // The first Bearer request asks tokeninfo (the router's way); the other five are fast.
                #expect(metrics.contains("thingbridge_proxy_fast_path_total 5"))
                #expect(!metrics.contains(token))
                #expect(logs.all.contains("http.route=/api/**"))
                #expect(!logs.all.contains(token))
            }
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await SignInHarness.run { harness in
            try await TestServer.run(try await harness.configuration(), mode: .live) { _, client in
                let jar = try await harness.signIn(client)
                let cookie = try #require(jar.header[.cookie])
                let port = try #require(client.port)
                // Fast, router, fast, router, fast: sent in one write before any answer.
                let paths = ["/api/users/me", "/healthz", "/api/things/12", "/auth/me", "/api/users/alice_prints"]
                var text = ""
                for (index, path) in paths.enumerated() {
                    let close = index == paths.count - 1 ? "Connection: close\r\n" : ""
                    text += "GET \(path) HTTP/1.1\r\nHost: thingbridge.test\r\nCookie: \(cookie)\r\n\(close)\r\n"
                }
                let answers = try await RawHTTP.exchange(port: port, text)
                let statuses = answers.components(separatedBy: "HTTP/1.1 ").dropFirst().map { String($0.prefix(3)) }
                // Thing 12 is not in the simulator's seed: its 404 is passed through.
                #expect(statuses == ["200", "200", "404", "200", "200"])
                // Each answer is the one asked for, in order.
                let markers = ["\"alice_prints\"", "ok", "No thing with id 12", "\"accounts\"", "\"alice_prints\""]
                var rest = Substring(answers)
                for marker in markers {
                    let found = try #require(rest.range(of: marker), "missing \(marker)")
                    rest = rest[found.upperBound...]
                }
            }
        }
    }
}

/// A few bytes over a plain socket, for what an HTTP client would not do (pipelining).
enum RawHTTP {
    /// Sends `text` to `127.0.0.1:port` in one write and reads until the server closes (5 s at
    /// most), on a thread of its own: blocking calls must not hold one of the few threads the
    /// tests' tasks share.
    static func exchange(port: Int, _ text: String) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try blockingExchange(port: port, text) }) }.start()
        }
    }

    private static func blockingExchange(port: Int, _ text: String) throws -> String {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw POSIXError(.EIO) }
        defer { close(socket) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        let bytes = Array(text.utf8)
        guard send(socket, bytes, bytes.count, 0) == bytes.count else { throw POSIXError(.EIO) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }
}
