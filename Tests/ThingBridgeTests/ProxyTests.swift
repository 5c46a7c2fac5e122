import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import ThingiverseSimulator

@testable import ThingBridge

@Suite struct ProxyTests {
    /// The harness's simulator for sign-in and tokeninfo, with the API answered by a recording upstream.
    static func withRecordingUpstream<Value: Sendable>(
        _ overrides: [String: String] = [:],
        _ body: @Sendable (CookieJar, RecordingUpstream, any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        let upstream = RecordingUpstream()
        return try await SignInHarness.run { harness in
            try await upstream.run { upstreamURL in
                var environment = ["THINGIVERSE_API_URL": upstreamURL]
                environment.merge(overrides) { $1 }
                return try await TestServer.run(try await harness.configuration(environment)) { _, client in
                    let jar = try await harness.signIn(client)
                    upstream.forget()
                    return try await body(jar, upstream, client)
                }
            }
        }
    }

    @Test func aSessionReadsTheAPIWithItsTokenAddedServerSide() async throws {
        try await SignInHarness.withServer { harness, client in
            let jar = try await harness.signIn(client, user: "alice_prints")
            let me = try await client.getOK("/api/users/me", headers: jar.header)
            #expect(me.text.contains("\"name\":\"alice_prints\""))
            #expect(me.headers[HTTPField.Name("X-RateLimit-Limit")!] == "300")
            #expect(me.headers[HTTPField.Name("X-RateLimit-Remaining")!] != nil)
        }
    }

    @Test func aBrowserTokenIsAcceptedOnlyForThisAppAndVerdictsAreCached() async throws {
        try await SignInHarness.withServer { harness, client in
            let ours = harness.simulator.issueToken(user: "bob_builds", clientID: SignInHarness.clientID)
            for _ in 0..<3 {
                let me = try await client.getOK("/api/users/me", headers: [.authorization: "Bearer \(ours)"])
                #expect(me.text.contains("bob_builds"))
            }
            let foreign = harness.simulator.issueToken(user: "bob_builds", clientID: "someone-elses-app")
            for _ in 0..<3 {
                let refused = try await client.execute(uri: "/api/users/me", method: .get, headers: [.authorization: "Bearer \(foreign)"])
                #expect(refused.status == .unauthorized)
                #expect(try refused.errorBody().error == "token_refused")
            }
            #expect(harness.simulator.requestCount(path: "/login/oauth/tokeninfo") == 2)
        }
    }

    @Test func noCredentialsIs401AndUnknownEndpointsAre404WithoutAnUpstreamRequest() async throws {
        try await Self.withRecordingUpstream { jar, upstream, client in
            let anonymous = try await client.execute(uri: "/api/users/me", method: .get)
            #expect(anonymous.status == .unauthorized)
            for (method, path) in [
                (HTTPRequest.Method.get, "/api/admin/secrets"), (.put, "/api/users/me"), (.delete, "/api/users/me"), (.get, "/api/things/abc"),
                (.get, "/api/"),
            ] {
                let response = try await client.execute(uri: path, method: method, headers: jar.header)
                #expect([.notFound, .methodNotAllowed].contains(response.status), "\(method) \(path) -> \(response.status)")
            }
            #expect(upstream.requests.isEmpty)
        }
    }

    @Test(arguments: [
        "/api/../login/oauth/tokeninfo", "/api/%2e%2e/login/oauth/tokeninfo", "/api/users/%2f%2fevil.com", "/api/users/..%2f..%2flogin",
        "/api/things/1@evil.com", "/api/users/a%5c..%5c..", "/api//evil.com/users/me", "/api/http://evil.com/users/me",
        "/api/users/%0d%0aHost:evil.com", "/api/things/12/../../login/oauth/access_token", "/api/users/me%00", "/api/users/%2e%2e",
        "/api/users/.", "/api/users/%252e%252e", "/api/search/%2F..%2F..%2Flogin", "/api/users/me/../../../etc/passwd",
    ])
    func traversalAndSSRFAttemptsNeverLeaveTheDocumentedPaths(path: String) async throws {
        try await Self.withRecordingUpstream { jar, upstream, client in
            let response = try await client.execute(uri: path, method: .get, headers: jar.header)
            #expect((400..<500).contains(Int(response.status.code)), "\(path) -> \(response.status)")
            #expect(upstream.requests.isEmpty, "\(path) reached \(upstream.requests.map(\.path))")
        }
    }

    @Test func textSegmentsAreReencodedAndQueriesLoseTokensAndCallbacks() async throws {
        try await Self.withRecordingUpstream { jar, upstream, client in
            let search = try await client.execute(
                uri: "/api/search/benchy%20boat?page=2&access_token=stolen&callback=evil&per_page=5", method: .get, headers: jar.header)
            #expect(search.status == .ok)
            let seen = try #require(upstream.requests.last)
            #expect(seen.path == "/search/benchy%20boat")
            #expect(seen.query == "page=2&per_page=5")
        }
    }

    @Test func cookiesStayHomeAndOnlyAPIHeadersTravel() async throws {
        try await Self.withRecordingUpstream { jar, upstream, client in
            var headers = jar.header
            headers[.cookie] = (headers[.cookie] ?? "") + "; analytics=private"
            headers[.authorization] = "Bearer not-this-one"
            headers[HTTPField.Name("X-Forwarded-For")!] = "10.0.0.1"
            headers[.ifNoneMatch] = "\"v0\""
            let response = try await client.getOK("/api/things/12", headers: headers)
            let seen = try #require(upstream.requests.last)
            #expect(seen.headers[.cookie] == nil)
            #expect(seen.headers[HTTPField.Name("X-Forwarded-For")!] == nil)
            #expect(seen.headers[.ifNoneMatch] == "\"v0\"")
            let authorization = try #require(seen.headers[.authorization])
            #expect(authorization.hasPrefix("Bearer ") && authorization != "Bearer not-this-one")
            #expect(response.headers[.setCookie] == nil)
            #expect(response.headers[HTTPField.Name("X-Internal-Debug")!] == nil)
            #expect(response.headers[.eTag] == "\"v1\"")
            #expect(response.headers[HTTPField.Name("X-RateLimit-Remaining")!] == "299")
        }
    }

    @Test func redirectsArePassedToTheBrowserNotFollowed() async throws {
        try await Self.withRecordingUpstream { jar, upstream, client in
            let response = try await client.execute(uri: "/api/files/5/download", method: .get, headers: jar.header)
            #expect(response.status == .found)
            #expect(response.headers[.location] == "https://cdn.example.com/file.stl?signature=abc")
            #expect(upstream.requests.count == 1)
        }
    }

    @Test func paginationLinksPointBackThroughTheProxy() async throws {
        try await SignInHarness.withServer { harness, client in
            let jar = try await harness.signIn(client)
            let page = try await client.getOK("/api/users/alice_prints/things?per_page=2", headers: jar.header)
            let link = try #require(page.headers[HTTPField.Name("Link")!])
            #expect(link.contains("<\(SignInHarness.publicURL)/api/users/alice_prints/things?"))
            #expect(link.contains("rel=\"next\""))
            #expect(!link.contains("simulator.invalid"))
        }
    }

    @Test func theBudgetRefusesWith429BeforeCallingThingiverse() async throws {
        try await Self.withRecordingUpstream(["THINGBRIDGE_RATE_LIMIT": "3/60"]) { jar, upstream, client in
            for _ in 0..<3 {
                #expect(try await client.execute(uri: "/api/things/12", method: .get, headers: jar.header).status == .ok)
            }
            let refused = try await client.execute(uri: "/api/things/12", method: .get, headers: jar.header)
            #expect(refused.status == .tooManyRequests)
            #expect(Int(refused.headers[.retryAfter] ?? "") ?? 0 > 0)
            #expect(upstream.requests.count == 3)
        }
    }

    @Test func anUpstream429IsPassedThroughAndPausesTheUser() async throws {
        try await Self.withRecordingUpstream { jar, upstream, client in
            let limited = try await client.execute(uri: "/api/things/429", method: .get, headers: jar.header)
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] == "30")
            let paused = try await client.execute(uri: "/api/things/12", method: .get, headers: jar.header)
            #expect(paused.status == .tooManyRequests)
            #expect(upstream.requests.count == 1)
        }
    }

    @Test func upstreamErrorsPassThroughAndHTMLPagesAre502() async throws {
        try await Self.withRecordingUpstream { jar, _, client in
            let serverError = try await client.execute(uri: "/api/things/500", method: .get, headers: jar.header)
            #expect(serverError.status == .internalServerError)
            #expect(serverError.text.contains("boom"))
            let challenge = try await client.execute(uri: "/api/things/403", method: .get, headers: jar.header)
            #expect(challenge.status == .badGateway)
            #expect(try challenge.errorBody().error == "upstream_blocked")
        }
    }

    @Test func anUnreachableThingiverseIs502AndASlowOne504() async throws {
        try await SignInHarness.run { harness in
            try await TestServer.run(try await harness.configuration(["THINGIVERSE_API_URL": "http://127.0.0.1:1"])) { _, client in
                let token = harness.simulator.issueToken(user: "alice_prints", clientID: SignInHarness.clientID)
                // A refused connection is an answer: no retrying the connect until its timeout.
                let start = ContinuousClock.now
                let response = try await client.execute(uri: "/api/users/me", method: .get, headers: [.authorization: "Bearer \(token)"])
                #expect(ContinuousClock.now - start < .seconds(2))
                #expect(response.status == .badGateway)
                #expect(try response.errorBody().error == "upstream_unreachable")
            }
            try await TestServer.run(try await harness.configuration(["THINGBRIDGE_UPSTREAM_TIMEOUT": "1"])) { _, client in
                let jar = try await harness.signIn(client)
                harness.simulator.setFaults { $0.delay = .seconds(3) }
                let response = try await client.execute(uri: "/api/users/me", method: .get, headers: jar.header)
                #expect(response.status == .gatewayTimeout)
            }
        }
    }

    @Test func crossSiteChangesWithACookieAreRefused() async throws {
        try await Self.withRecordingUpstream(["THINGBRIDGE_CORS_ORIGINS": "https://app.example.com"]) { jar, upstream, client in
            var evil = jar.header
            evil[.origin] = "https://evil.example.com"
            evil[.contentType] = "application/json"
            let refused = try await client.execute(uri: "/api/things/12/likes", method: .post, headers: evil)
            #expect(refused.status == .forbidden)
            #expect(upstream.requests.isEmpty)

            var allowed = jar.header
            allowed[.origin] = "https://app.example.com"
            let forwarded = try await client.execute(uri: "/api/things/12/likes", method: .post, headers: allowed)
            #expect(forwarded.status == .ok)
            var sameSite = jar.header
            sameSite[.origin] = SignInHarness.publicURL
            let patched = try await client.execute(
                uri: "/api/things/12", method: .patch, headers: sameSite, body: ByteBuffer(string: #"{"name":"x"}"#))
            #expect(patched.status == .ok)
            #expect(upstream.requests.map(\.method) == ["POST", "PATCH"])
            #expect(upstream.requests.last?.body == #"{"name":"x"}"#)
        }
    }

    @Test func requestBodiesOverOneMebibyteAre413() async throws {
        try await Self.withRecordingUpstream { jar, upstream, client in
            var headers = jar.header
            headers[.origin] = SignInHarness.publicURL
            let large = ByteBuffer(repeating: UInt8(ascii: "a"), count: 1024 * 1024 + 1)
            let response = try await client.execute(uri: "/api/things", method: .post, headers: headers, body: large)
            #expect(response.status == .contentTooLarge)
            #expect(upstream.requests.isEmpty)
        }
    }
}

@Suite struct CORSTests {
    static let allowed = "https://app.example.com"

    @Test func anAllowedOriginGetsCredentialedCORSHeaders() async throws {
        try await SignInHarness.withServer(["THINGBRIDGE_CORS_ORIGINS": Self.allowed]) { harness, client in
            var headers = try await harness.signIn(client).header
            headers[.origin] = Self.allowed
            let response = try await client.getOK("/api/users/me", headers: headers)
            #expect(response.headers[.accessControlAllowOrigin] == Self.allowed)
            #expect(response.headers[.accessControlAllowCredentials] == "true")
            #expect(response.headers[.accessControlExposeHeaders]?.contains("Link") == true)
            #expect(response.headers[.vary] == "Origin")
            // Error answers carry them too, so the page can read the reason.
            let anonymous = try await client.execute(uri: "/api/users/me", method: .get, headers: [.origin: Self.allowed])
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.accessControlAllowOrigin] == Self.allowed)
        }
    }

    @Test(arguments: [
        "https://evil.example.com", "null", "https://app.example.com.evil.com", "http://app.example.com", "https://app.example.com:8443",
        "https://APP.example.com.evil",
    ])
    func otherOriginsGetNoCORSHeaders(origin: String) async throws {
        try await SignInHarness.withServer(["THINGBRIDGE_CORS_ORIGINS": Self.allowed]) { harness, client in
            let response = try await client.execute(uri: "/auth/me", method: .get, headers: [.origin: origin])
            #expect(response.headers[.accessControlAllowOrigin] == nil)
            #expect(response.headers[.accessControlAllowCredentials] == nil)
            #expect(response.headers[.vary] == "Origin")
            let preflight = try await client.execute(
                uri: "/api/users/me", method: .options, headers: [.origin: origin, .accessControlRequestMethod: "GET"])
            #expect(preflight.headers[.accessControlAllowOrigin] == nil)
        }
    }

    @Test func preflightsAreAnsweredWithoutASession() async throws {
        try await SignInHarness.withServer(["THINGBRIDGE_CORS_ORIGINS": Self.allowed]) { harness, client in
            let preflight = try await client.execute(
                uri: "/api/things/12/likes", method: .options,
                headers: [.origin: Self.allowed, .accessControlRequestMethod: "POST", .accessControlRequestHeaders: "content-type, x-evil"])
            #expect(preflight.status == .noContent)
            #expect(preflight.headers[.accessControlAllowOrigin] == Self.allowed)
            #expect(preflight.headers[.accessControlAllowMethods]?.contains("POST") == true)
            #expect(preflight.headers[.accessControlAllowHeaders] == "content-type")
            #expect(preflight.headers[.vary] == "Origin")
        }
    }
}

@Suite struct EndpointAllowListTests {
    let allowList = EndpointAllowList.thingiverse

    @Test func theReferenceIsCoveredLineByLine() throws {
        let reference = try String(contentsOfFile: "/work/shared/reference/thingiverse-rest-api-reference.txt", encoding: .utf8)
        let documented = reference.split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let parts = trimmed.split(separator: " ")
            guard parts.count == 2, ["GET", "POST", "PATCH", "DELETE"].contains(parts[0]), parts[1].hasPrefix("/") else { return nil }
            return "\(parts[0]) "
                + parts[1].replacingOccurrences(of: "{$", with: "{").trimmingCharacters(in: CharacterSet(charactersIn: "/")).prepending("/")
        }
        #expect(documented.count >= 90)
        for line in documented {
            #expect(EndpointAllowList.thingiverseREST.contains(line), "missing \(line)")
        }
    }

    @Test func numbersMustBeNumbersAndTextIsEncoded() throws {
        #expect(try allowList.match(method: .get, rawPath: "/things/123/").path == "/things/123/")
        #expect(throws: EndpointAllowList.Refusal.notAnEndpoint) { try allowList.match(method: .get, rawPath: "/things/abc") }
        #expect(try allowList.match(method: .get, rawPath: "/tags/3d%20printing/things").path == "/tags/3d%20printing/things")
        #expect(try allowList.match(method: .get, rawPath: "/search/a%40b%3Fc").path == "/search/a%40b%3Fc")
        #expect(try allowList.match(method: .get, rawPath: "/categories").endpoint == "GET /categories")
    }
}

extension String {
    fileprivate func prepending(_ prefix: String) -> String { prefix + self }
}
