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

    /// Requests that reached its token endpoint.
    func tokenRequests(_ harness: ConfiguredProviderHarness) -> Int {
        switch self {
        case .flattr: harness.signIn.flattr.tokenRequests().count
        case .example: harness.provider.tokenRequests
        }
    }
}
