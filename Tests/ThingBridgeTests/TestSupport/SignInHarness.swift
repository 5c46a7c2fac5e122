import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOHTTP1
import Testing
import ThingiverseSimulator

@testable import ThingBridge

/// Live Thingiverse and Flattr simulators (their own servers on port 0) with a registered test
/// app each, and ThingBridge configured against them: what every sign-in and proxy test runs on.
struct SignInHarness: TestHarness {
    static let publicURL = "http://thingbridge.test"
    static let clientID = "test-client-id"
    static let clientSecret = "test-client-secret-value"
    static let flattrClientID = "test-flattr-client"
    static let flattrClientSecret = "test-flattr-secret-value"

    let simulator: ThingiverseSimulator
    /// Where the simulator listens, e.g. `http://127.0.0.1:40123`.
    let simulatorURL: String
    let flattr: FlattrSimulator
    /// Where the Flattr simulator listens; its API is below `/rest/v2`.
    let flattrURL: String
    /// For talking to the simulator as a browser would, without following redirects.
    let browser: HTTPClient

    /// Runs `body` with a started simulator; everything is shut down afterwards.
    static func run<Value: Sendable>(_ body: @Sendable (SignInHarness) async throws -> Value) async throws -> Value {
        let app = SimulatorApp(name: "Test App", clientID: clientID, clientSecret: clientSecret, redirectURI: publicURL + "/auth/callback")
        let simulator = ThingiverseSimulator(
            configuration: SimulatorConfiguration(webBaseURL: "http://simulator.invalid", apiBaseURL: "http://simulator.invalid/api", apps: [app])
        )
        let simulatorApp = makeStandaloneSimulatorApplication(simulator: simulator, host: "127.0.0.1", port: 0, logger: Logger(label: "simulator"))
        let flattrApp = FlattrSimulatorApp(
            name: "Test App", clientID: flattrClientID, clientSecret: flattrClientSecret, redirectURI: publicURL + "/auth/flattr/callback")
        let flattr = FlattrSimulator(
            configuration: FlattrSimulatorConfiguration(
                webBaseURL: "http://flattr.invalid", apiBaseURL: "http://flattr.invalid/rest/v2", apps: [flattrApp]))
        let flattrRouter = Router()
        flattrRouter.addRoutes(flattr.routes(context: BasicRequestContext.self, webPrefix: "", apiPrefix: "/rest/v2"))
        let flattrServer = Application(
            router: flattrRouter, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: Logger(label: "flattr"))
        let browser = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        do {
            let value = try await simulatorApp.test(.live) { client in
                let url = "http://127.0.0.1:\(client.port!)"
                simulator.setBaseURLs(web: url, api: url + "/api")
                return try await flattrServer.test(.live) { flattrClient in
                    let flattrURL = "http://127.0.0.1:\(flattrClient.port!)"
                    flattr.setBaseURLs(web: flattrURL, api: flattrURL + "/rest/v2")
                    let harness = SignInHarness(simulator: simulator, simulatorURL: url, flattr: flattr, flattrURL: flattrURL, browser: browser)
                    return try await body(harness)
                }
            }
            try await browser.shutdown()
            return value
        } catch {
            try? await browser.shutdown()
            throw error
        }
    }

    /// ThingBridge's configuration pointing at this simulator.
    func configuration(_ overrides: [String: String] = [:]) async throws -> ThingBridgeConfiguration {
        var environment = [
            "THINGBRIDGE_PUBLIC_URL": Self.publicURL,
            "THINGIVERSE_CLIENT_ID": Self.clientID,
            "THINGIVERSE_CLIENT_SECRET": Self.clientSecret,
            "THINGIVERSE_WEB_URL": simulatorURL,
            "THINGIVERSE_API_URL": simulatorURL + "/api",
            "FLATTR_CLIENT_ID": Self.flattrClientID,
            "FLATTR_CLIENT_SECRET": Self.flattrClientSecret,
            "FLATTR_WEB_URL": flattrURL,
            "FLATTR_API_URL": flattrURL + "/rest/v2",
            "THINGBRIDGE_UPSTREAM_TIMEOUT": "2",
        ]
        environment.merge(overrides) { $1 }
        return try await TestEnvironment.serverConfiguration(environment)
    }

    /// Presses Allow (or Deny) on the simulator's authorization page for `authorizeURL`;
    /// returns the Location the simulator redirects the browser to.
    func authorize(_ authorizeURL: String, user: String = "alice_prints", allow: Bool = true) async throws -> String {
        try await pressAllow(on: authorizeURL, form: simulatorURL + "/login/oauth/authorize", user: user, allow: allow)
    }

    /// The same on the Flattr simulator's authorization page.
    func authorizeFlattr(_ authorizeURL: String, user: String = "alice_flattrs", allow: Bool = true) async throws -> String {
        try await pressAllow(on: authorizeURL, form: flattrURL + "/oauth/authorize", user: user, allow: allow)
    }

    /// Presses Allow (or Deny) as `user` on the authorization page at `form` (of any provider) for
    /// `authorizeURL`; returns the Location the provider redirects the browser to.
    func pressAllow(on authorizeURL: String, form: String, user: String, allow: Bool) async throws -> String {
        let components = try #require(URLComponents(string: authorizeURL))
        var fields = (components.queryItems ?? []).map { ($0.name, $0.value ?? "") }
        fields.append(("user", user))
        fields.append(("decision", allow ? "allow" : "deny"))
        var request = HTTPClientRequest(url: form)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: FormEncoding.encode(fields)))
        let response = try await browser.execute(request, timeout: .seconds(5))
        #expect(response.status == .found)
        return try #require(response.headers.first(name: "location"))
    }

    /// The `state` the simulator was asked to echo in an authorize URL.
    static func state(in authorizeURL: String) -> String? {
        URLComponents(string: authorizeURL)?.queryItems?.first { $0.name == "state" }?.value
    }

    /// The path and query of a callback URL, for sending to ThingBridge's router.
    static func pathAndQuery(_ url: String) -> String {
        guard let components = URLComponents(string: url) else { return url }
        return components.percentEncodedPath + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
    }

    /// Signs in with the code flow as `user`; returns the browser's cookies afterwards.
    func signIn(_ client: some TestClientProtocol, user: String = "alice_prints", returnTo: String = "/") async throws -> CookieJar {
        try await client.signIn(at: "/auth/login?return_to=\(FormEncoding.escape(returnTo))") { try await authorize($0, user: user) }
    }

    /// Signs in with Flattr's code flow as `user`, linking to the session in `jar` if it has one.
    func signInWithFlattr(_ client: some TestClientProtocol, user: String = "alice_flattrs", jar: CookieJar = CookieJar()) async throws -> CookieJar {
        try await client.signIn(at: "/auth/flattr/login", jar: jar) { try await authorizeFlattr($0, user: user) }
    }
}

/// The cookies a browser would hold, fed from `Set-Cookie` and sent back as `Cookie`.
struct CookieJar: Sendable {
    var values: [String: String] = [:]
    /// The full Set-Cookie lines seen last per cookie, to check attributes.
    var lines: [String: String] = [:]

    mutating func take(_ response: TestResponse) {
        for field in response.headers where field.name == .setCookie {
            let line = field.value
            guard let pair = line.split(separator: ";").first, let equals = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<equals]).trimmingCharacters(in: .whitespaces)
            let value = String(pair[pair.index(after: equals)...])
            lines[name] = line
            if value.isEmpty || line.contains("Max-Age=0") {
                values[name] = nil
            } else {
                values[name] = value
            }
        }
    }

    var header: HTTPFields {
        guard !values.isEmpty else { return [:] }
        return [.cookie: values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")]
    }
}

extension SimulatorFaults {
    /// The names of the edge faults that answer with a page instead of data, and the error code
    /// ThingBridge gives the browser for each.
    static let edgeTrouble = [("serverError", "upstream_error"), ("htmlChallenge", "upstream_blocked"), ("htmlErrorPage", "upstream_blocked")]

    /// Only the edge fault named `name` (one of `edgeTrouble`) switched on.
    static func edge(_ name: String) -> SimulatorFaults {
        var faults = SimulatorFaults()
        switch name {
        case "serverError": faults.serverError = true
        case "htmlChallenge": faults.htmlChallenge = true
        case "htmlErrorPage": faults.htmlErrorPage = true
        default: preconditionFailure("No edge fault \"\(name)\".")
        }
        return faults
    }
}
