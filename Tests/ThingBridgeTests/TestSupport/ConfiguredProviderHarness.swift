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

/// A generic OAuth2 provider simulator on its own server (port 0), beside the Thingiverse and
/// Flattr ones of ``SignInHarness``, and ThingBridge configured with it as the provider
/// `example`, by settings alone.
struct ConfiguredProviderHarness: TestHarness {
    static let clientID = "example-client"
    static let clientSecret = "example-client-secret-value"
    /// The allow-list file's lines: what an app would list.
    static let allowList = """
        # The example API, as an app would allow it
        GET /me
        GET /items
        GET /items/{id}
        POST /items
        GET /users/{name}
        """

    let signIn: SignInHarness
    let provider: OAuth2ProviderSimulator
    /// Where the provider listens, e.g. `http://127.0.0.1:40123`.
    let providerURL: String

    /// Runs `body` with the provider registered as `example`'s test app and started.
    static func run<Value: Sendable>(_ body: @Sendable (ConfiguredProviderHarness) async throws -> Value) async throws -> Value {
        try await run(
            .init(clientID: clientID, clientSecret: clientSecret, redirectURI: SignInHarness.publicURL + "/auth/example/callback"), body)
    }

    /// Runs `body` with a provider configured as `configuration` and started.
    static func run<Value: Sendable>(
        _ configuration: OAuth2ProviderSimulator.Configuration,
        _ body: @Sendable (ConfiguredProviderHarness) async throws -> Value
    ) async throws -> Value {
        let provider = OAuth2ProviderSimulator(configuration: configuration)
        let router = Router()
        router.addRoutes(provider.routes(context: BasicRequestContext.self, prefix: ""))
        let server = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: Logger(label: "oauth2"))
        return try await SignInHarness.run { signIn in
            try await server.test(.live) { client in
                try await body(ConfiguredProviderHarness(signIn: signIn, provider: provider, providerURL: "http://127.0.0.1:\(client.port!)"))
            }
        }
    }

    /// The settings that add `example`: no Swift code names it.
    func environment(_ overrides: [String: String] = [:]) -> [String: String] {
        let directory = TestEnvironment.temporaryDirectory()
        let allow = directory + "/example-allow.txt"
        precondition(FileManager.default.createFile(atPath: allow, contents: Data(Self.allowList.utf8)), "cannot write \(allow)")
        var environment = [
            "THINGBRIDGE_PROVIDERS": "example",
            "EXAMPLE_CLIENT_ID": Self.clientID,
            "EXAMPLE_CLIENT_SECRET": Self.clientSecret,
            "EXAMPLE_AUTHORIZE_URL": providerURL + "/authorize",
            "EXAMPLE_TOKEN_URL": providerURL + "/token",
            "EXAMPLE_USERINFO_URL": providerURL + "/userinfo",
            "EXAMPLE_USER_ID_FIELD": "user.id",
            "EXAMPLE_USER_NAME_FIELD": "user.login",
            "EXAMPLE_API_URL": providerURL + "/api",
            "EXAMPLE_ALLOW": allow,
            "EXAMPLE_SCOPES": "read write",
            "EXAMPLE_DISPLAY_NAME": "Example",
        ]
        environment.merge(overrides) { $1 }
        return environment
    }

    func configuration(_ overrides: [String: String] = [:]) async throws -> ThingBridgeConfiguration {
        try await signIn.configuration(environment(overrides))
    }

    /// The API calls the provider received, from its request log (`METHOD /api/...`).
    var apiRequests: [String] {
        provider.requestLog().filter { $0.split(separator: " ", maxSplits: 1).last?.hasPrefix("/api/") == true }
    }

    /// Signs in with `example` (linking to the session in `jar`, if any) as `user`.
    func signInWithExample(_ client: some TestClientProtocol, user: String = "alice_oauth", jar: CookieJar = CookieJar()) async throws -> CookieJar {
        try await client.signIn(at: "/auth/example/login", jar: jar) { try await authorize($0, user: user) }
    }

    /// Presses Allow as `user` on the provider's authorization page for `authorizeURL`; returns
    /// where the provider sends the browser back.
    func authorize(_ authorizeURL: String, user: String = "alice_oauth") async throws -> String {
        try await signIn.pressAllow(on: authorizeURL, form: providerURL + "/authorize", user: user, allow: true)
    }
}
