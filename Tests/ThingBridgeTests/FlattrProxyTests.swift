import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import ThingiverseSimulator

@testable import ThingBridge

/// `/api/flattr/...`: Flattr's REST API for signed-in people, against the Flattr simulator and
/// a recording upstream.
@Suite struct FlattrProxyTests {
    /// Signed in with Flattr (only), against the harness's Flattr simulator.
    static func withFlattrSession<Value: Sendable>(
        _ body: @Sendable (SignInHarness, CookieJar, any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        try await SignInHarness.withServer { harness, client in
            try await body(harness, try await harness.signInWithFlattr(client), client)
        }
    }

    static func sameOrigin(_ jar: CookieJar, json: Bool = true) -> HTTPFields {
        var headers = jar.header
        headers[.origin] = SignInHarness.publicURL
        if json { headers[.contentType] = "application/json" }
        return headers
    }

    @Test func aSessionReadsThingsWithItsTokenAndFlattrsHeadersPassThrough() async throws {
        try await Self.withFlattrSession { harness, jar, client in
            let thing = try await client.getOK("/api/flattr/things/423405", headers: jar.header)
            #expect(thing.text.contains("\"id\":423405"))
            #expect(thing.headers[HTTPField.Name("X-RateLimit-Limit")!] == "5000")
            #expect(thing.headers[HTTPField.Name("X-RateLimit-Remaining")!] != nil)
            let two = try await client.getOK("/api/flattr/things/423405,450287", headers: jar.header)
            #expect(two.text.contains("423405") && two.text.contains("450287"))
        }
    }

    @Test func withoutAFlattrAccountItIs401AndFlattrsErrorsKeepTheirStatusAndBody() async throws {
        try await SignInHarness.withServer { harness, client in
            let anonymous = try await client.execute(uri: "/api/flattr/user", method: .get)
            #expect(anonymous.status == .unauthorized)
            #expect(try anonymous.errorBody().error == "not_signed_in")
            let thingiverseOnly = try await harness.signIn(client)
            let refused = try await client.execute(uri: "/api/flattr/user", method: .get, headers: thingiverseOnly.header)
            #expect(refused.status == .unauthorized)
            // A browser's own Flattr token is not accepted: Flattr cannot say which app it is for.
            let token = harness.flattr.issueToken(user: "alice_flattrs", clientID: SignInHarness.flattrClientID)
            let bearer = try await client.execute(uri: "/api/flattr/user", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(bearer.status == .unauthorized)

            let jar = try await harness.signInWithFlattr(client)
            let missing = try await client.execute(uri: "/api/flattr/things/999999999", method: .get, headers: jar.header)
            #expect(missing.status == .notFound)
            #expect(missing.text.contains("\"error\":\"not_found\""))
            #expect(missing.text.contains("error_description"))
        }
    }

    @Test func patchGoesUpstreamAsPostWithTheMethodOverride() async throws {
        try await Self.withFlattrSession { harness, jar, client in
            let created = try await client.execute(
                uri: "/api/flattr/things", method: .post, headers: Self.sameOrigin(jar),
                body: ByteBuffer(string: #"{"url":"https://example.com/my-print","title":"My print"}"#))
            #expect(created.status == .created)
            struct Created: Decodable { let id: Int }
            let id = try JSONDecoder().decode(Created.self, from: Data(created.body.readableBytesView)).id

            let patched = try await client.execute(
                uri: "/api/flattr/things/\(id)", method: .patch, headers: Self.sameOrigin(jar), body: ByteBuffer(string: #"{"title":"Renamed"}"#))
            #expect(patched.status == .ok, "\(patched.text)")
            #expect(harness.flattr.requestLog().contains("POST /rest/v2/things/\(id)"))
            #expect(!harness.flattr.requestLog().contains("PATCH /rest/v2/things/\(id)"))
            let read = try await client.execute(uri: "/api/flattr/things/\(id)", method: .get, headers: jar.header)
            #expect(read.text.contains("Renamed"))

            // The browser may send the workaround itself; it passes as it is.
            let overridden = try await client.execute(
                uri: "/api/flattr/things/\(id)", method: .post, headers: Self.sameOrigin(jar),
                body: ByteBuffer(string: #"{"_method":"patch","title":"Again"}"#))
            #expect(overridden.status == .ok)
            let deleted = try await client.execute(uri: "/api/flattr/things/\(id)", method: .delete, headers: Self.sameOrigin(jar, json: false))
            #expect(deleted.status == .noContent)
        }
    }

    @Test(arguments: [
        "/api/flattr/../user", "/api/flattr/%2e%2e/oauth/token", "/api/flattr/users/%2f%2fevil.com/things", "/api/flattr/things/1@evil.com",
        "/api/flattr//evil.com/user", "/api/flattr/http://evil.com/user", "/api/flattr/things/1,,2", "/api/flattr/things/1,a",
        "/api/flattr/users/..%2f..%2foauth/things", "/api/flattr/user/../../oauth/token", "/api/flattr/things/%252e%252e",
    ])
    func traversalVectorsReachNothing(path: String) async throws {
        try await Self.withFlattrSession { harness, jar, client in
            let before = harness.flattr.requestLog().count
            let response = try await client.execute(uri: path, method: .get, headers: jar.header)
            #expect((400..<500).contains(Int(response.status.code)), "\(path) -> \(response.status)")
            #expect(harness.flattr.requestLog().count == before)
        }
    }

    @Test func lookupRedirectsAreRewrittenAndNeverFollowedAndUpstreamCookiesAndCORSStayBehind() async throws {
        let upstream = RecordingUpstream()
        try await SignInHarness.run { harness in
            try await upstream.run { upstreamURL in
                try await TestServer.run(try await harness.configuration(["FLATTR_API_URL": upstreamURL])) { _, client in
                    let jar = try await harness.signInWithFlattr(client)
                    upstream.forget()
                    let lookup = try await client.execute(
                        uri: "/api/flattr/things/lookup/?url=https%3A%2F%2Fexample.com%2F", method: .get, headers: jar.header)
                    #expect(lookup.status == .found)
                    #expect(lookup.headers[.location] == SignInHarness.publicURL + "/api/flattr/things/423405")
                    #expect(upstream.requests.map(\.path) == ["/things/lookup/"])

                    let thing = try await client.execute(
                        uri: "/api/flattr/things/7", method: .get, headers: [.origin: "https://evil.example.com"] + jar.header)
                    #expect(thing.status == .ok)
                    #expect(thing.headers[.setCookie] == nil)
                    #expect(thing.headers[.accessControlAllowOrigin] == nil)
                    #expect(thing.headers[.accessControlAllowCredentials] == nil)
                    let seen = try #require(upstream.requests.last)
                    #expect(seen.headers[.authorization]?.hasPrefix("Bearer ") == true)
                    #expect(seen.headers[.cookie] == nil)
                }
            }
        }
    }

    @Test func flattrHasItsOwnBudget() async throws {
        try await SignInHarness.withServer(["FLATTR_RATE_LIMIT": "2/300"]) { harness, client in
            let jar = try await harness.signInWithFlattr(client)
            for _ in 0..<2 {
                #expect(try await client.execute(uri: "/api/flattr/user", method: .get, headers: jar.header).status == .ok)
            }
            let refused = try await client.execute(uri: "/api/flattr/user", method: .get, headers: jar.header)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.retryAfter] != nil)
        }
    }
}

extension HTTPFields {
    static func + (lhs: HTTPFields, rhs: HTTPFields) -> HTTPFields {
        var merged = lhs
        merged.append(contentsOf: rhs)
        return merged
    }
}
