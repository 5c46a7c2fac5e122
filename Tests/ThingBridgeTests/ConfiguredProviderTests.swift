import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Prometheus
import Testing
import ThingiverseSimulator

@testable import ThingBridge

/// A provider added by settings alone (`THINGBRIDGE_PROVIDERS=example`), against the generic
/// OAuth2 simulator: sign-in with PKCE, linking, unlinking, the proxy under its allow-list, and
/// token refresh.
@Suite struct ConfiguredProviderTests {
    @Test func signsInLinksWithThingiverseProxiesAndUnlinks() async throws {
        try await ConfiguredProviderHarness.withServer { harness, client in
            var jar = try await harness.signIn.signIn(client)
            jar = try await harness.signInWithExample(client, jar: jar)

            let person = try await client.me(jar)
            #expect(person.provider == "thingiverse")
            #expect(person.accounts["example"]?.id == "7001")
            #expect(person.accounts["example"]?.name == "alice_oauth")

            let mine = try await client.getOK("/api/example/me", headers: jar.header)
            #expect(mine.text.contains("\"login\":\"alice_oauth\""))
            let item = try await client.getOK("/api/example/items/101", headers: jar.header)
            #expect(item.text.contains("First sketch"))

            let status = try await client.execute(uri: "/auth/session", method: .get, headers: jar.header)
            struct Status: Decodable {
                let sign_in: [Option]
                struct Option: Decodable, Equatable {
                    let id: String
                    let name: String
                    let login: String
                    let api: String?
                    let endpoints: [String]?
                }
            }
            let offered = try JSONDecoder().decode(Status.self, from: Data(status.body.readableBytesView)).sign_in
            // The API console offers its allow-list; built-in providers have consoles of their own.
            let allowed = ["GET /me", "GET /items", "GET /items/{id}", "POST /items", "GET /users/{name}"]
            #expect(
                offered.last
                    == Status.Option(id: "example", name: "Example", login: "/auth/example/login", api: "/api/example", endpoints: allowed))
            #expect(offered.first?.id == "thingiverse" && offered.first?.endpoints == nil)

            let unlink = try await client.execute(
                uri: "/auth/example/unlink", method: .post, headers: jar.header + [.origin: SignInHarness.publicURL])
            #expect(unlink.status == .ok)
            jar.take(unlink)
            let after = try await client.execute(uri: "/api/example/me", method: .get, headers: jar.header)
            #expect(after.status == .unauthorized)
            #expect(try after.errorBody().message.contains("Sign in with Example first"))
            // Thingiverse stays linked.
            #expect(try await client.execute(uri: "/api/users/me", method: .get, headers: jar.header).status == .ok)
        }
    }

    @Test func signInSendsAnS256ChallengeAndTheSimulatorChecksTheVerifier() async throws {
        try await ConfiguredProviderHarness.run { harness in
            try await TestServer.run(try await harness.configuration()) { _, client in
                let login = try await client.execute(uri: "/auth/example/login", method: .get)
                let location = try #require(login.headers[.location])
                let query = Dictionary(
                    (URLComponents(string: location)?.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { first, _ in first })
                #expect(location.hasPrefix(harness.providerURL + "/authorize?"))
                #expect(query["code_challenge_method"] == "S256")
                #expect(query["code_challenge"]?.utf8.count == 43)
                #expect(query["scope"] == "read write")
                #expect(query["redirect_uri"] == SignInHarness.publicURL + "/auth/example/callback")
            }
            // The simulator itself: a code bound to one verifier's challenge is refused with another verifier.
            let verifier = "a-verifier-that-is-long-enough-for-rfc-7636-0123456789"
            let code = try await harness.code(challenge: OAuth2ProviderSimulator.challenge(for: verifier))
            #expect(try await harness.exchange(code: code, verifier: "another-verifier-that-is-also-long-enough-0123456789") == .badRequest)
            let second = try await harness.code(challenge: OAuth2ProviderSimulator.challenge(for: verifier))
            #expect(try await harness.exchange(code: second, verifier: verifier) == .ok)
        }
    }

    @Test func anEndpointOutsideTheAllowListIs404WithNoUpstreamRequest() async throws {
        try await ConfiguredProviderHarness.withServer { harness, client in
            let jar = try await harness.signInWithExample(client)
            let refused = try await client.execute(uri: "/api/example/admin/keys", method: .get, headers: jar.header)
            #expect(refused.status == .notFound)
            #expect(try refused.errorBody().error == "unknown_endpoint")
            let traversal = try await client.execute(uri: "/api/example/items/..%2Fadmin", method: .get, headers: jar.header)
            #expect(traversal.status == .notFound || traversal.status == .badRequest)
            #expect(!harness.apiRequests.contains { $0.contains("admin") })
            #expect(harness.apiRequests.isEmpty)
        }
    }

    @Test(arguments: [TestServer.Mode.router, .live])
    func tokensNeverReachTheBrowserALogOrMetrics(mode: TestServer.Mode) async throws {
        try await ConfiguredProviderHarness.run { harness in
            let logs = CapturedLogs()
            try await TestServer.run(try await harness.configuration(), mode: mode.setup, logs: logs) { _, client in
                var seen = ""
                var jar = try await harness.signInWithExample(client)
                for uri in ["/auth/me", "/auth/session", "/api/example/me", "/api/example/items", "/metrics"] {
                    let response = try await client.execute(uri: uri, method: .get, headers: jar.header)
                    seen += response.text + "\(response.headers)"
                }
                let created = try await client.execute(
                    uri: "/api/example/items", method: .post,
                    headers: jar.header + [.contentType: "application/json", .origin: SignInHarness.publicURL],
                    body: ByteBuffer(string: #"{"title": "From the browser"}"#))
                #expect(created.status == .created)
                jar.take(created)
                seen += created.text
                let tokens = harness.provider.issuedTokens
                #expect(tokens.count == 2)  // one access token, one refresh token
                for token in tokens + [ConfiguredProviderHarness.clientSecret] {
                    #expect(!seen.contains(token))
                    #expect(!logs.all.contains(token))
                }
            }
        }
    }

    @Test func theTokenReplyIsReadFromItsBodyAndTheClientMayAuthenticateInTheForm() async throws {
        let configuration = OAuth2ProviderSimulator.Configuration(
            clientID: ConfiguredProviderHarness.clientID, clientSecret: ConfiguredProviderHarness.clientSecret,
            redirectURI: SignInHarness.publicURL + "/auth/example/callback", tokenReplyStyle: .formAsHTML)
        try await ConfiguredProviderHarness.run(configuration) { harness in
            try await TestServer.run(try await harness.configuration(["EXAMPLE_CLIENT_AUTH": "post"])) { _, client in
                let jar = try await harness.signInWithExample(client, user: "bob_oauth")
                let mine = try await client.getOK("/api/example/me", headers: jar.header)
                #expect(mine.text.contains("bob_oauth"))
            }
        }
    }
}

extension ConfiguredProviderTests {
    /// Tokens live 2 s here (the contract's example is 60 s): several lifetimes pass in a test.
    static func shortLived(refreshes: Bool = true, lifetime: Int = 2) -> OAuth2ProviderSimulator.Configuration {
        .init(
            clientID: ConfiguredProviderHarness.clientID, clientSecret: ConfiguredProviderHarness.clientSecret,
            redirectURI: SignInHarness.publicURL + "/auth/example/callback", tokenLifetime: lifetime, issuesRefreshTokens: refreshes)
    }

    @Test func concurrentRequestsShareOneRefreshAndProxyingGoesOnPastSeveralLifetimes() async throws {
        try await ConfiguredProviderHarness.run(Self.shortLived()) { harness in
            try await TestServer.run(try await harness.configuration(), mode: .live) { server, client in
                let jar = try await harness.signInWithExample(client)
                let before = jar
                try await Self.withBrowser { browser in
                    let base = "http://127.0.0.1:\(client.port!)"
                    @Sendable func get(_ path: String, _ cookies: CookieJar) async throws -> (Int, String?) {
                        var request = HTTPClientRequest(url: base + path)
                        request.headers.add(name: "Cookie", value: cookies.header[.cookie] ?? "")
                        let response = try await browser.execute(request, timeout: .seconds(10))
                        _ = try await response.body.collect(upTo: 1 << 20)
                        return (Int(response.status.code), response.headers.first(name: "set-cookie"))
                    }

                    try await Task.sleep(for: .milliseconds(2100))
                    // 20 requests at once with the same expired token: one refresh between them.
                    let answers = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                        for _ in 0..<20 { group.addTask { try await get("/api/example/me", jar) } }
                        return try await group.reduce(into: []) { $0.append($1) }
                    }
                    #expect(answers.allSatisfy { $0.0 == 200 })
                    #expect(harness.provider.refreshCount == 1)
                    #expect(server.configuredProviders[0].refresher.refreshes == 1)
                    let refreshedCookie = try #require(answers.compactMap(\.1).first)
                    var refreshed = TestResponseCookies.jar(from: refreshedCookie, into: jar)
                    // The cookie from before the refresh still works, with the refreshed token and no new refresh.
                    #expect(try await get("/api/example/me", before).0 == 200)
                    #expect(harness.provider.refreshCount == 1)

                    // Several more lifetimes, one request every 400 ms with the newest cookie.
                    let start = ContinuousClock.now
                    while ContinuousClock.now - start < .seconds(5) {
                        let (status, setCookie) = try await get("/api/example/items", refreshed)
                        #expect(status == 200)
                        if let setCookie { refreshed = TestResponseCookies.jar(from: setCookie, into: refreshed) }
                        try await Task.sleep(for: .milliseconds(400))
                    }
                    #expect(harness.provider.refreshCount >= 3)
                    #expect(harness.provider.refreshCount <= 5)
                }
            }
        }
    }

    @Test func anExpiredTokenThatCannotBeRefreshedAsksToSignInAgain() async throws {
        try await ConfiguredProviderHarness.run(Self.shortLived()) { harness in
            try await TestServer.run(try await harness.configuration()) { _, client in
                let jar = try await harness.signInWithExample(client)
                #expect(try await client.execute(uri: "/api/example/me", method: .get, headers: jar.header).status == .ok)
                harness.provider.refuseRefreshes()
                try await Task.sleep(for: .milliseconds(2100))
                let refused = try await client.execute(uri: "/api/example/me", method: .get, headers: jar.header)
                #expect(refused.status == .unauthorized)
                #expect(try refused.errorBody().error == "reauthenticate")
                #expect(harness.apiRequests.count == 1)
            }
        }
        // A provider that issues no refresh token: the same answer once the token expires.
        try await ConfiguredProviderHarness.run(Self.shortLived(refreshes: false)) { harness in
            try await TestServer.run(try await harness.configuration()) { _, client in
                let jar = try await harness.signInWithExample(client)
                try await Task.sleep(for: .milliseconds(2100))
                let refused = try await client.execute(uri: "/api/example/me", method: .get, headers: jar.header)
                #expect(try refused.errorBody().error == "reauthenticate")
            }
        }
    }
}

extension ConfiguredProviderTests {
    /// Runs `body` with an HTTP client of its own, shut down however `body` ends (a client
    /// dropped without shutting down stops the whole test process).
    static func withBrowser(_ body: (HTTPClient) async throws -> Void) async throws {
        let browser = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            try await body(browser)
        } catch {
            try? await browser.shutdown()
            throw error
        }
        try await browser.shutdown()
    }
}

extension ConfiguredProviderHarness {
    /// A code from the simulator's authorize form with `challenge` (no ThingBridge involved).
    func code(challenge: String) async throws -> String {
        let fields = [
            ("client_id", Self.clientID), ("response_type", "code"), ("redirect_uri", SignInHarness.publicURL + "/auth/example/callback"),
            ("code_challenge", challenge), ("code_challenge_method", "S256"), ("user", "alice_oauth"), ("decision", "allow"),
        ]
        var request = HTTPClientRequest(url: providerURL + "/authorize")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: FormEncoding.encode(fields)))
        let response = try await signIn.browser.execute(request, timeout: .seconds(5))
        let location = try #require(response.headers.first(name: "location"))
        return try #require(URLComponents(string: location)?.queryItems?.first { $0.name == "code" }?.value)
    }

    /// The status of exchanging `code` with `verifier` at the simulator's token endpoint.
    func exchange(code: String, verifier: String) async throws -> HTTPResponseStatus {
        let fields = [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", SignInHarness.publicURL + "/auth/example/callback"),
            ("code_verifier", verifier), ("client_id", Self.clientID), ("client_secret", Self.clientSecret),
        ]
        var request = HTTPClientRequest(url: providerURL + "/token")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: FormEncoding.encode(fields)))
        return try await signIn.browser.execute(request, timeout: .seconds(5)).status
    }
}

/// Turns a `Set-Cookie` line from a raw HTTP client into the jar's value.
enum TestResponseCookies {
    static func jar(from setCookie: String, into jar: CookieJar) -> CookieJar {
        var jar = jar
        guard let pair = setCookie.split(separator: ";").first, let equals = pair.firstIndex(of: "=") else { return jar }
        jar.values[String(pair[..<equals]).trimmingCharacters(in: .whitespaces)] = String(pair[pair.index(after: equals)...])
        return jar
    }
}

extension ConfiguredProviderTests {
    @Test(arguments: TestDatabaseKind.available)
    func anotherInstanceUsesTheRefreshedTokenForACookieFromBeforeTheRefresh(kind: TestDatabaseKind) async throws {
        // 4 s tokens: the second instance must start and ask within the refreshed token's
        // lifetime less the refresh margin (3.6 s), which a busy machine took over 1.8 s to do.
        try await ConfiguredProviderHarness.run(Self.shortLived(lifetime: 4)) { harness in
            // Two instances on one database, one after the other.
            let database = try await kind.makeLocation().urlForEnvironment
            let first = try await harness.configuration(["THINGBRIDGE_DATABASE_URL": database])
            let second = try await harness.configuration(["THINGBRIDGE_DATABASE_URL": database])
            let jar = try await TestServer.run(first) { _, client in
                let jar = try await harness.signInWithExample(client)
                try await Task.sleep(for: .milliseconds(4100))
                #expect(try await client.execute(uri: "/api/example/me", method: .get, headers: jar.header).status == .ok)
                #expect(harness.provider.refreshCount == 1)
                return jar
            }
            // The old cookie reaches an instance that never saw the refresh: the rotated-away
            // refresh token is not tried again; the recorded token is used.
            try await TestServer.run(second) { _, client in
                let answer = try await client.getOK("/api/example/me", headers: jar.header)
                #expect(answer.headers[.setCookie] != nil)
                #expect(harness.provider.refreshCount == 1)
            }
        }
    }
}
