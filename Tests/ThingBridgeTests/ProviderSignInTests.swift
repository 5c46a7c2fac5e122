import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import Testing
import ThingiverseSimulator

@testable import ThingBridge

/// Sign-in across providers: token replies judged by their body, Flattr's code flow, linking
/// two providers to one session and unlinking.
@Suite struct ProviderSignInTests {
    @Test func thingiverseSignInWorksWhenTheTokenFormIsServedAsHTML() async throws {
        try await SignInHarness.withServer { harness, client in
            harness.simulator.setFaults { $0.formRepliesAsHTML = true }
            let jar = try await harness.signIn(client)
            let me = try await client.getOK("/auth/me", headers: jar.header)
            #expect(me.text.contains("alice_prints"))
        }
    }

    @Test func aRefusedCodeServedAsHTMLIsStillARefusal() async throws {
        try await SignInHarness.withServer { harness, client in
            harness.simulator.setFaults { $0.formRepliesAsHTML = true }
            let login = try await client.openLogin()
            let state = try #require(login.state)
            let callback = try await client.execute(uri: "/auth/callback?code=not-a-code&state=\(state)", method: .get, headers: login.jar.header)
            #expect(callback.status == .unauthorized)
            #expect(try callback.errorBody().error == "code_refused")
            #expect(harness.simulator.requestCount(path: "/login/oauth/tokeninfo") == 0)
        }
    }

    /// A 5xx, a challenge (403) and a PHP error screen (200) from the token endpoint: 502, no
    /// session, no tokeninfo call.
    @Test(arguments: SimulatorFaults.edgeTrouble)
    func troubleAtTheTokenEndpointIs502WithoutASession(fault: String, code: String) async throws {
        try await SignInHarness.withServer { harness, client in
            let login = try await client.openLogin()
            var jar = login.jar
            let callbackURL = try await harness.authorize(login.authorizeURL)
            harness.simulator.setFaults(.edge(fault))
            let callback = try await client.execute(uri: SignInHarness.pathAndQuery(callbackURL), method: .get, headers: jar.header)
            #expect(callback.status == .badGateway)
            #expect(try callback.errorBody().error == code)
            jar.take(callback)
            #expect(jar.values["tb_session"] == nil)
            #expect(harness.simulator.requestCount(path: "/login/oauth/access_token") == 1)
            #expect(harness.simulator.requestCount(path: "/login/oauth/tokeninfo") == 0)
        }
    }

    @Test func theFirstReleaseThingiverseURLsAndTheProviderURLsBothSignIn() async throws {
        try await SignInHarness.withServer { harness, client in
            for path in ["/auth/login", "/auth/thingiverse/login"] {
                let login = try await client.execute(uri: path, method: .get)
                let location = try #require(login.headers[.location])
                #expect(location.hasPrefix(harness.simulatorURL + "/login/oauth/authorize?"))
                // Apps registered PUBLIC_URL/auth/callback with Thingiverse: it stays the redirect_uri.
                #expect(location.contains("redirect_uri=" + FormEncoding.escape(SignInHarness.publicURL + "/auth/callback")))
            }
            let jar = try await harness.signIn(client)
            for path in ["/api/users/me", "/api/thingiverse/users/me"] {
                let me = try await client.execute(uri: path, method: .get, headers: jar.header)
                #expect(me.status == .ok, "\(path)")
                #expect(me.text.contains("alice_prints"))
            }
        }
    }

    @Test func flattrSignInAuthenticatesTheClientWithBasicAndReadsTheUser() async throws {
        try await SignInHarness.withServer { harness, client in
            let login = try await client.execute(uri: "/auth/flattr/login?return_to=/things", method: .get)
            let location = try #require(login.headers[.location])
            #expect(location.hasPrefix(harness.flattrURL + "/oauth/authorize?"))
            #expect(location.contains("scope=flattr%20thing"))
            #expect(location.contains("redirect_uri=" + FormEncoding.escape(SignInHarness.publicURL + "/auth/flattr/callback")))

            let jar = try await harness.signInWithFlattr(client)
            let requests = harness.flattr.tokenRequests()
            let request = try #require(requests.last)
            #expect(requests.count == 1)
            #expect(request.succeeded)
            #expect(request.basicClientID == SignInHarness.flattrClientID)
            #expect(!request.bodyContainsSecret)
            #expect(!request.bodyFieldNames.contains("client_secret"))

            let me = try await client.execute(uri: "/auth/me", method: .get, headers: jar.header)
            let body = try JSONDecoder().decode(MeBody.self, from: Data(me.body.readableBytesView))
            #expect(body.provider == "flattr")
            #expect(body.name == "alice_flattrs")
            #expect(body.accounts.keys.sorted() == ["flattr"])
            #expect(!me.text.contains(SignInHarness.flattrClientSecret))
        }
    }

    @Test func aThingiverseLoginCannotBeFinishedAtFlattrsCallback() async throws {
        try await SignInHarness.withServer { harness, client in
            let login = try await client.openLogin()
            let state = try #require(login.state)
            let crossed = try await client.execute(uri: "/auth/flattr/callback?code=x&state=\(state)", method: .get, headers: login.jar.header)
            #expect(try crossed.errorBody().error == "login_other_provider")
            #expect(harness.flattr.tokenRequests().isEmpty)
        }
    }

    @Test func signingInWithFlattrWhileSignedInLinksBothAccountsInOneSmallCookie() async throws {
        try await SignInHarness.withServer { harness, client in
            let thingiverse = try await harness.signIn(client)
            let both = try await harness.signInWithFlattr(client, jar: thingiverse)
            let body = try await client.me(both)
            #expect(body.provider == "thingiverse")
            #expect(body.name == "alice_prints")
            #expect(body.accounts["thingiverse"]?.name == "alice_prints")
            #expect(body.accounts["flattr"]?.name == "alice_flattrs")
            // Both tokens work through their own proxy.
            let thing = try await client.getOK("/api/flattr/user", headers: both.header)
            #expect(thing.text.contains("alice_flattrs"))
            let profile = try await client.execute(uri: "/api/users/me", method: .get, headers: both.header)
            #expect(profile.text.contains("alice_prints"))
            let line = try #require(both.lines["tb_session"])
            #expect(line.utf8.count < 4096)
        }
    }

    @Test func signingInAsSomeoneElseStartsAFreshSessionInsteadOfLinking() async throws {
        try await SignInHarness.withServer { harness, client in
            let alice = try await harness.signInWithFlattr(client, jar: try await harness.signIn(client, user: "alice_prints"))
            let bob = try await client.signIn(at: "/auth/login", jar: alice) { try await harness.authorize($0, user: "bob_builds") }
            let body = try await client.me(bob)
            #expect(body.name == "bob_builds")
            #expect(body.accounts.keys.sorted() == ["thingiverse"], "alice's Flattr account must not follow bob")
            // alice's cookie ended with it.
            #expect(try await client.execute(uri: "/auth/me", method: .get, headers: alice.header).status == .unauthorized)
        }
    }

    /// Thingiverse and Flattr hold tokens in the session (UserEcho works with the app's key).
    @Test func aSessionWithEveryFieldAtItsLimitStaysUnder4KiB() throws {
        let codec = SessionCookieCodec(keys: [Secret(TestEnvironment.sessionKey)])
        let long = String(repeating: "🖨", count: 1000)
        let accounts = [ProviderID.thingiverse, .flattr].map { provider in
            LinkedAccount(
                provider: provider, id: long, name: long, fullName: long, thumbnail: String(repeating: "u", count: 400),
                token: Secret(String(repeating: "t", count: 512)))
        }
        let session = Session(id: randomToken(bytes: 16), accounts: accounts, issuedAt: 1, lastSeenAt: 1, expiresAt: Int64.max)
        let sealed = try codec.seal(session, purpose: .session)
        // Name, attributes and the value together, as the browser stores it.
        #expect(("__Host-tb_session=" + sealed + "; Max-Age=2592000; Path=/; Secure; HttpOnly; SameSite=Lax").utf8.count < 4096)
        #expect(codec.open(sealed, as: Session.self, purpose: .session) == session)
        #expect(sealed.utf8.count <= SessionCookies.maximumSessionValue)
    }

    @Test func aSessionTooLargeForACookieIsRefusedInsteadOfDroppedByTheBrowser() async throws {
        let codec = SessionCookieCodec(keys: [Secret(TestEnvironment.sessionKey)])
        let database = try await Database.open(.sqlite(path: ":memory:"), logger: Logger(label: "test"))
        defer { Task { await database.shutdown() } }
        let cookies = SessionCookies(codec: codec, revocations: SessionRevocations(database: database), secure: true)
        let long = String(repeating: "🖨", count: 1000)
        var accounts = [ProviderID.thingiverse, .flattr, ProviderID(rawValue: "gitlab")!].map { provider in
            LinkedAccount(
                provider: provider, id: long, name: long, fullName: long, thumbnail: String(repeating: "u", count: 400),
                token: Secret(String(repeating: "t", count: 512)))
        }
        accounts[2].refreshToken = Secret(String(repeating: "r", count: 512))
        let session = Session(id: randomToken(bytes: 16), accounts: accounts, issuedAt: 1, lastSeenAt: 1, expiresAt: Int64.max)
        #expect(throws: AppError.self) { try cookies.sessionCookie(for: session) }
        do {
            _ = try cookies.sessionCookie(for: session)
        } catch let error as AppError {
            #expect(error.code == "session_too_large")
        }
    }
}
