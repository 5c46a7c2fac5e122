import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import ThingiverseSimulator

@testable import ThingBridge

/// What every provider that links to a session shares, run once per provider: Flattr (a
/// configured provider with quirks) and `example` (added by settings alone).
@Suite struct LinkedProviderTests {
    @Test(arguments: LinkedProvider.allCases)
    func callbacksWithAMissingUnknownOrReplayedStateMakeNoTokenRequest(provider: LinkedProvider) async throws {
        try await ConfiguredProviderHarness.withServer { harness, client in
            let login = try await client.openLogin("/auth/\(provider.rawValue)/login")
            let callbackURL = try await provider.pressAllow(login.authorizeURL, harness: harness)
            let code = try #require(URLComponents(string: callbackURL)?.queryItems?.first { $0.name == "code" }?.value)
            let callback = "/auth/\(provider.rawValue)/callback"

            let missing = try await client.execute(uri: "\(callback)?code=\(code)", method: .get, headers: login.jar.header)
            #expect(try missing.errorBody().error == "state_missing")
            let unknown = try await client.execute(uri: "\(callback)?code=\(code)&state=forged", method: .get, headers: login.jar.header)
            #expect(try unknown.errorBody().error == "state_mismatch")
            #expect(provider.tokenRequests(harness) == 0)

            let first = try await client.execute(uri: SignInHarness.pathAndQuery(callbackURL), method: .get, headers: login.jar.header)
            #expect(first.status == .found)
            let replayed = try await client.execute(uri: SignInHarness.pathAndQuery(callbackURL), method: .get, headers: login.jar.header)
            #expect(try replayed.errorBody().error == "state_reused")
            #expect(provider.tokenRequests(harness) == 1)
        }
    }

    @Test(arguments: LinkedProvider.allCases)
    func linksToTheThingiverseSessionAndUnlinkingRetiresTheCookieThatHeldTheToken(provider: LinkedProvider) async throws {
        try await ConfiguredProviderHarness.withServer { harness, client in
            let both = try await provider.signIn(client, harness: harness, jar: try await harness.signIn.signIn(client))
            let me = try await client.me(both)
            #expect(me.provider == "thingiverse")
            #expect(me.accounts.keys.sorted() == [provider.rawValue, "thingiverse"].sorted())
            #expect(try await client.execute(uri: provider.apiPath, method: .get, headers: both.header).status == .ok)

            let refused = try await client.execute(
                uri: "/auth/\(provider.rawValue)/unlink", method: .post, headers: both.header + [.origin: "https://evil.example.com"])
            #expect(refused.status == .forbidden)

            let unlinked = try await client.execute(
                uri: "/auth/\(provider.rawValue)/unlink", method: .post, headers: both.header + [.origin: SignInHarness.publicURL])
            #expect(unlinked.status == .ok)
            var after = both
            after.take(unlinked)
            let remaining = try await client.me(after)
            #expect(remaining.accounts.keys.sorted() == ["thingiverse"])
            #expect(try await client.execute(uri: provider.apiPath, method: .get, headers: after.header).status == .unauthorized)
            // The cookie from before the unlink still holds the token: it is refused.
            #expect(try await client.execute(uri: provider.apiPath, method: .get, headers: both.header).status == .unauthorized)

            let last = try await client.execute(
                uri: "/auth/thingiverse/unlink", method: .post, headers: after.header + [.origin: SignInHarness.publicURL])
            after.take(last)
            #expect(after.values["tb_session"] == nil)
        }
    }

    /// A 503, a challenge (403) and a PHP error screen (200) from the provider: at its token
    /// endpoint, 502 with no session and no account lookup; from its API, 502.
    @Test(arguments: LinkedProvider.allCases, SimulatorFaults.edgeTrouble)
    func troubleAtTheProviderIs502(provider: LinkedProvider, trouble: (fault: String, code: String)) async throws {
        try await ConfiguredProviderHarness.withServer { harness, client in
            let simulator = provider.simulator(harness)
            let login = try await client.openLogin("/auth/\(provider.rawValue)/login")
            var jar = login.jar
            let callbackURL = try await provider.pressAllow(login.authorizeURL, harness: harness)
            simulator.setFaults(.edge(trouble.fault))
            let callback = try await client.execute(uri: SignInHarness.pathAndQuery(callbackURL), method: .get, headers: jar.header)
            #expect(callback.status == .badGateway)
            #expect(try callback.errorBody().error == trouble.code)
            jar.take(callback)
            #expect(jar.values["tb_session"] == nil)
            #expect(provider.tokenRequests(harness) == 1)
            #expect(simulator.requestCount(path: provider.accountPath) == 0)

            simulator.setFaults(SimulatorFaults())
            let signedIn = try await provider.signIn(client, harness: harness, jar: CookieJar())
            simulator.setFaults(.edge(trouble.fault))
            let api = try await client.execute(uri: provider.apiPath, method: .get, headers: signedIn.header)
            #expect(api.status == .badGateway)
            #expect(try api.errorBody().error == trouble.code)
        }
    }
}

/// A provider that signs in beside Thingiverse, as the tests drive it.
enum LinkedProvider: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case flattr
    case example

    var testDescription: String { rawValue }

    /// An endpoint its proxy forwards for a signed-in account.
    var apiPath: String { self == .flattr ? "/api/flattr/user" : "/api/example/me" }

    /// Presses Allow on its authorization page; returns the callback URL.
    func pressAllow(_ authorizeURL: String, harness: ConfiguredProviderHarness) async throws -> String {
        switch self {
        case .flattr: try await harness.signIn.authorizeFlattr(authorizeURL)
        case .example: try await harness.authorize(authorizeURL)
        }
    }

    func signIn(_ client: some TestClientProtocol, harness: ConfiguredProviderHarness, jar: CookieJar) async throws -> CookieJar {
        switch self {
        case .flattr: try await harness.signIn.signInWithFlattr(client, jar: jar)
        case .example: try await harness.signInWithExample(client, jar: jar)
        }
    }

    /// Its simulator, for the fault switches and the request log.
    func simulator(_ harness: ConfiguredProviderHarness) -> any ControlledSimulator {
        switch self {
        case .flattr: harness.signIn.flattr
        case .example: harness.provider
        }
    }

    /// Where ThingBridge asks who signed in, once it holds a token.
    var accountPath: String { self == .flattr ? "/rest/v2/user" : "/userinfo" }

    /// Requests that reached its token endpoint.
    func tokenRequests(_ harness: ConfiguredProviderHarness) -> Int {
        simulator(harness).requestCount(path: self == .flattr ? "/oauth/token" : "/token")
    }
}
