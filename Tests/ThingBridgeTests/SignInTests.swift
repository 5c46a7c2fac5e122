import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import ThingiverseSimulator

@testable import ThingBridge

@Suite struct SignInTests {
    @Test func codeFlowSignsInAndReturnsToThePathAsked() async throws {
        try await SignInHarness.withServer { harness, client in
            let login = try await client.execute(uri: "/auth/login?return_to=/things%3Fpage%3D2", method: .get)
            #expect(login.status == .found)
            let location = try #require(login.headers[.location])
            #expect(location.hasPrefix(harness.simulatorURL + "/login/oauth/authorize?"))
            let query = Dictionary(uniqueKeysWithValues: URLComponents(string: location)!.queryItems!.map { ($0.name, $0.value ?? "") })
            #expect(query["client_id"] == SignInHarness.clientID)
            #expect(query["redirect_uri"] == SignInHarness.publicURL + "/auth/callback")
            #expect(query["response_type"] == "code")
            #expect((query["state"]?.count ?? 0) >= 32)

            var jar = CookieJar()
            jar.take(login)
            let callbackURL = try await harness.authorize(location, user: "alice_prints")
            let callback = try await client.execute(uri: SignInHarness.pathAndQuery(callbackURL), method: .get, headers: jar.header)
            #expect(callback.status == .found)
            #expect(callback.headers[.location] == "/things?page=2")
            #expect(callback.headers[.referrerPolicy] == "no-referrer")
            #expect(callback.headers[.cacheControl] == "no-store")
            jar.take(callback)

            let me = try await client.getOK("/auth/me", headers: jar.header)
            #expect(me.text.contains("\"name\":\"alice_prints\""))
            #expect(!me.text.contains("token"))
        }
    }

    @Test func tokenFlowSignsInThroughTheLandingPage() async throws {
        try await SignInHarness.withServer { harness, client in
            let login = try await client.openLogin("/auth/login?flow=token&return_to=/gallery")
            var jar = login.jar
            let location = login.authorizeURL
            #expect(location.contains("response_type=token"))
            let landing = try await harness.authorize(location)
            let fragment = try #require(URLComponents(string: landing)?.fragment)
            let fields = FormEncoding.decode(fragment)
            let token = try #require(fields["access_token"])
            let state = try #require(fields["state"])

            // The browser loads the callback without the fragment: ThingBridge serves the page that reads it.
            let page = try await client.getOK("/auth/callback", headers: jar.header)
            #expect(page.text.contains("/js/token-flow.js"))

            var headers = jar.header
            headers[.origin] = SignInHarness.publicURL
            headers[.contentType] = "application/json"
            let body = #"{"access_token": "\#(token)", "state": "\#(state)"}"#
            let posted = try await client.execute(uri: "/auth/token", method: .post, headers: headers, body: .init(string: body))
            #expect(posted.status == .ok)
            #expect(posted.text.contains("\"return_to\":\"\\/gallery\"") || posted.text.contains("\"return_to\":\"/gallery\""))
            jar.take(posted)
            let me = try await client.getOK("/auth/me", headers: jar.header)
            #expect(me.text.contains("alice_prints"))
        }
    }

    @Test func crossOriginTokenPostsAreRefused() async throws {
        try await SignInHarness.withServer { harness, client in
            let login = try await client.openLogin("/auth/login?flow=token")
            let state = try #require(login.state)
            let token = harness.simulator.issueToken(user: "alice_prints", clientID: SignInHarness.clientID)
            for origin in ["https://evil.example", "http://thingbridge.test.evil.example", "null"] {
                var headers = login.jar.header
                headers[.origin] = origin
                let response = try await client.execute(
                    uri: "/auth/token", method: .post, headers: headers, body: .init(string: #"{"access_token":"\#(token)","state":"\#(state)"}"#)
                )
                #expect(response.status == .forbidden)
                #expect(try response.errorBody().error == "cross_origin")
            }
            // No Origin and a cross-site fetch: refused too.
            var headers = login.jar.header
            headers[.secFetchSite] = "cross-site"
            let noOrigin = try await client.execute(
                uri: "/auth/token", method: .post, headers: headers, body: .init(string: #"{"access_token":"\#(token)","state":"\#(state)"}"#))
            #expect(noOrigin.status == .forbidden)
            #expect(harness.simulator.requestCount(path: "/login/oauth/tokeninfo") == 0)
        }
    }

    @Test func badStatesAreRejectedBeforeAnyTokenRequest() async throws {
        try await SignInHarness.run { harness in
            try await TestServer.run(try await harness.configuration()) { server, client in
                let login = try await client.openLogin()
                let callbackURL = try await harness.authorize(login.authorizeURL)
                let code = try #require(URLComponents(string: callbackURL)?.queryItems?.first { $0.name == "code" }?.value)

                // Missing state.
                let missing = try await client.execute(uri: "/auth/callback?code=\(code)", method: .get, headers: login.jar.header)
                #expect(try missing.errorBody().error == "state_missing")
                // Another state.
                let mismatched = try await client.execute(uri: "/auth/callback?code=\(code)&state=forged", method: .get, headers: login.jar.header)
                #expect(try mismatched.errorBody().error == "state_mismatch")
                // No pre-login cookie (another browser).
                let noCookie = try await client.execute(uri: SignInHarness.pathAndQuery(callbackURL), method: .get)
                #expect(try noCookie.errorBody().error == "login_expired")
                // An expired pre-login cookie, sealed with the real key.
                let codec = SessionCookieCodec(keys: [Secret(TestEnvironment.sessionKey)])
                let state = login.state!
                let expired = try codec.seal(
                    LoginAttempt(state: state, provider: .thingiverse, flow: .code, returnTo: "/", expiresAt: 1000), purpose: .login)
                let old = try await client.execute(
                    uri: SignInHarness.pathAndQuery(callbackURL), method: .get, headers: [.cookie: "tb_login=\(expired)"])
                #expect(try old.errorBody().error == "login_expired")
                #expect(harness.simulator.requestCount(path: "/login/oauth/access_token") == 0)

                // The real callback works once; replaying it (same cookie, same state) fails without a token request.
                let first = try await client.execute(uri: SignInHarness.pathAndQuery(callbackURL), method: .get, headers: login.jar.header)
                #expect(first.status == .found)
                let replay = try await client.execute(uri: SignInHarness.pathAndQuery(callbackURL), method: .get, headers: login.jar.header)
                #expect(try replay.errorBody().error == "state_reused")
                #expect(harness.simulator.requestCount(path: "/login/oauth/access_token") == 1)
                _ = server
            }
        }
    }

    @Test func aCallbackWithoutStateFromThingiverseSaysSo() async throws {
        try await SignInHarness.withServer { harness, client in
            harness.simulator.setFaults { $0.dropState = true }
            let login = try await client.openLogin()
            let callbackURL = try await harness.authorize(login.authorizeURL)
            var headers = login.jar.header
            headers[.accept] = "text/html"
            let page = try await client.execute(uri: SignInHarness.pathAndQuery(callbackURL), method: .get, headers: headers)
            #expect(page.status == .badRequest)
            #expect(page.text.contains("did not send back the sign-in state"))
            #expect(harness.simulator.requestCount(path: "/login/oauth/access_token") == 0)
        }
    }

    @Test func pressingDenyShowsAFriendlyPageWithAWayBack() async throws {
        try await SignInHarness.withServer { harness, client in
            let login = try await client.openLogin()
            let callbackURL = try await harness.authorize(login.authorizeURL, allow: false)
            #expect(callbackURL.contains("error=access_denied"))
            var headers = login.jar.header
            headers[.accept] = "text/html"
            let page = try await client.execute(uri: SignInHarness.pathAndQuery(callbackURL), method: .get, headers: headers)
            #expect(page.status == .forbidden)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(page.text.contains("You chose not to let this app use your Thingiverse account"))
            #expect(page.text.contains("href=\"/auth/login\""))
        }
    }

    @Test(arguments: ["code", "token"])
    func aTokenIssuedToAnotherAppIsRefused(flow: String) async throws {
        try await SignInHarness.withServer { harness, client in
            harness.simulator.setFaults { $0.foreignAudience = true }
            let login = try await client.openLogin("/auth/login?flow=\(flow)")
            let redirect = try await harness.authorize(login.authorizeURL)
            let response: TestResponse
            if flow == "code" {
                response = try await client.execute(uri: SignInHarness.pathAndQuery(redirect), method: .get, headers: login.jar.header)
            } else {
                let fields = FormEncoding.decode(URLComponents(string: redirect)!.fragment!)
                var headers = login.jar.header
                headers[.origin] = SignInHarness.publicURL
                response = try await client.execute(
                    uri: "/auth/token", method: .post, headers: headers,
                    body: .init(string: #"{"access_token":"\#(fields["access_token"]!)","state":"\#(fields["state"]!)"}"#))
            }
            #expect(response.status == .unauthorized)
            #expect(try response.errorBody().error == "wrong_audience")
            #expect(!response.headers.contains { $0.name == .setCookie && $0.value.hasPrefix("tb_session=") && !$0.value.contains("Max-Age=0") })
            #expect(harness.simulator.requestCount(path: "/users/me") == 0)
        }
    }

    @Test func aSlowThingiverseIsA504() async throws {
        try await SignInHarness.withServer(["THINGBRIDGE_UPSTREAM_TIMEOUT": "1"]) { harness, client in
            let login = try await client.openLogin()
            let callbackURL = try await harness.authorize(login.authorizeURL)
            harness.simulator.setFaults { $0.delay = .seconds(3) }
            let response = try await client.execute(uri: SignInHarness.pathAndQuery(callbackURL), method: .get, headers: login.jar.header)
            #expect(response.status == .gatewayTimeout)
        }
    }

    @Test func sessionCookiesAreSmallAndLockedDown() async throws {
        try await SignInHarness.run { harness in
            try await TestServer.run(try await harness.configuration()) { _, client in
                let jar = try await harness.signIn(client)
                let line = try #require(jar.lines["tb_session"])
                #expect(line.contains("HttpOnly"))
                #expect(line.contains("SameSite=Lax"))
                #expect(line.contains("Path=/"))
                #expect(!line.contains("Secure"))
                #expect(line.utf8.count < 4096)
            }
            try await TestServer.run(try await harness.configuration(["THINGBRIDGE_PUBLIC_URL": "https://app.example.com"])) { _, client in
                let login = try await client.execute(uri: "/auth/login", method: .get)
                let cookie = try #require(login.headers[.setCookie])
                #expect(cookie.hasPrefix("__Host-tb_login="))
                #expect(cookie.contains("Secure"))
                #expect(cookie.contains("Path=/"))
            }
        }
    }

    @Test func tamperedTruncatedAndExpiredSessionsAreAnonymous() async throws {
        try await SignInHarness.withServer { harness, client in
            let jar = try await harness.signIn(client)
            let value = try #require(jar.values["tb_session"])
            var bytes = Array(value.utf8)
            let middle = bytes.count / 2
            bytes[middle] = bytes[middle] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            let tampered = String(decoding: bytes, as: UTF8.self)
            let codec = SessionCookieCodec(keys: [Secret(TestEnvironment.sessionKey)])
            let expired = try codec.seal(
                Session(
                    id: "x",
                    accounts: [
                        LinkedAccount(provider: .thingiverse, id: "244", name: "alice_prints", fullName: nil, thumbnail: nil, token: Secret("t"))
                    ], issuedAt: 1, lastSeenAt: 1, expiresAt: 2), purpose: .session)
            let idle = try codec.seal(
                Session(
                    id: "y",
                    accounts: [
                        LinkedAccount(provider: .thingiverse, id: "244", name: "alice_prints", fullName: nil, thumbnail: nil, token: Secret("t"))
                    ], issuedAt: 1, lastSeenAt: 1, expiresAt: Int64.max),
                purpose: .session)
            let loginSealedAsSession = try codec.seal(
                LoginAttempt(state: "s", provider: .thingiverse, flow: .code, returnTo: "/", expiresAt: Int64.max), purpose: .login)
            for cookie in [tampered, String(value.dropLast(10)), expired, idle, loginSealedAsSession, "garbage"] {
                let me = try await client.execute(uri: "/auth/me", method: .get, headers: [.cookie: "tb_session=\(cookie)"])
                #expect(me.status == .unauthorized)
            }
            _ = try await client.getOK("/auth/me", headers: jar.header)
        }
    }

    @Test func aLoggedOutCookieIsRefusedWhenReplayed() async throws {
        try await SignInHarness.withServer { harness, client in
            let jar = try await harness.signIn(client)
            let logout = try await client.execute(uri: "/auth/logout", method: .post, headers: jar.header)
            #expect(logout.status == .noContent)
            #expect(logout.headers[.setCookie]?.contains("Max-Age=0") == true)
            let replay = try await client.execute(uri: "/auth/me", method: .get, headers: jar.header)
            #expect(replay.status == .unauthorized)
        }
    }

    @Test func rotatingKeysKeepsOldSessionsUntilTheOldKeyIsRemoved() async throws {
        let newKey = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY="
        try await SignInHarness.run { harness in
            let database = TestEnvironment.temporaryDirectory() + "/shared.sqlite"
            let jar = try await TestServer.run(try await harness.configuration(["THINGBRIDGE_DATABASE_URL": "sqlite:\(database)"])) { _, client in
                try await harness.signIn(client)
            }
            let rotated = try await harness.configuration([
                "THINGBRIDGE_DATABASE_URL": "sqlite:\(database)", "THINGBRIDGE_SESSION_KEYS": "\(newKey),\(TestEnvironment.sessionKey)",
            ])
            try await TestServer.run(rotated) { _, client in
                _ = try await client.getOK("/auth/me", headers: jar.header)
            }
            let oldKeyRemoved = try await harness.configuration([
                "THINGBRIDGE_DATABASE_URL": "sqlite:\(database)", "THINGBRIDGE_SESSION_KEYS": newKey,
            ])
            try await TestServer.run(oldKeyRemoved) { _, client in
                let me = try await client.execute(uri: "/auth/me", method: .get, headers: jar.header)
                #expect(me.status == .unauthorized)
            }
        }
    }

    @Test func noSecretReachesTheLogs() async throws {
        let logs = CapturedLogs()
        try await SignInHarness.run { harness in
            try await TestServer.run(try await harness.configuration(), logs: logs) { _, client in
                let login = try await client.openLogin()
                var jar = login.jar
                let callbackURL = try await harness.authorize(login.authorizeURL)
                let callback = try await client.execute(uri: SignInHarness.pathAndQuery(callbackURL), method: .get, headers: jar.header)
                jar.take(callback)
                _ = try await client.execute(uri: "/auth/me", method: .get, headers: jar.header)
                let code = URLComponents(string: callbackURL)!.queryItems!.first { $0.name == "code" }!.value!
                let state = login.state!
                for secret in [code, state, SignInHarness.clientSecret, jar.values["tb_session"]!, TestEnvironment.sessionKey] {
                    #expect(!logs.all.contains(secret))
                }
                #expect(logs.all.contains("http.route=/auth/callback"))
            }
        }
    }
}

@Suite struct ReturnPathTests {
    @Test(arguments: [
        "//evil.com", "/\\evil.com", "/%09/evil.com", "https://evil.com", "/..//evil.com", "http:evil.com", "/\t/evil.com",
        "/%2F%2Fevil.com", "/%5cevil.com", "\\\\evil.com", "/a/../../evil", "javascript:alert(1)", "", "/ok\r\nSet-Cookie: x=1", "/é",
    ])
    func unsafeTargetsFallBackToTheRoot(candidate: String) {
        #expect(ReturnPath(candidate).path == "/")
    }

    @Test(arguments: ["/", "/things", "/things?page=2&per_page=30", "/admin#orders", "/users/alice_prints/things"])
    func sameOriginPathsAreKept(candidate: String) {
        #expect(ReturnPath(candidate).path == candidate)
    }

    @Test func openRedirectsFallBackThroughTheWholeFlow() async throws {
        try await SignInHarness.withServer { harness, client in
            let jar = try await harness.signIn(client, returnTo: "//evil.com/steal")
            _ = jar
            let login = try await client.openLogin("/auth/login?return_to=%2F%2Fevil.com")
            let callbackURL = try await harness.authorize(login.authorizeURL)
            let callback = try await client.execute(uri: SignInHarness.pathAndQuery(callbackURL), method: .get, headers: login.jar.header)
            #expect(callback.headers[.location] == "/")
        }
    }
}
