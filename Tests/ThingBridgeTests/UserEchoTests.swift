import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import ThingiverseSimulator

@testable import ThingBridge

/// `/api/userecho/...` and single sign-on: the forum's API as the signed-in person, against a
/// recording stand-in for UserEcho (what arrives upstream is the point).
@Suite struct UserEchoTests {
    static let apiKey = "userecho-api-key-0123456789"
    static let ssoKey = "0123456789abcdef0123456789ABCDEF"

    /// Signed in with Thingiverse as alice_prints; UserEcho answered by a recording upstream.
    static func withForum<Value: Sendable>(
        _ overrides: [String: String] = [:],
        _ body: @Sendable (CookieJar, RecordingUpstream, any TestClientProtocol, String) async throws -> Value
    ) async throws -> Value {
        let upstream = RecordingUpstream()
        return try await SignInHarness.run { harness in
            try await upstream.run { forumURL in
                var environment = ["USERECHO_URL": forumURL, "USERECHO_API_KEY": Self.apiKey, "USERECHO_SSO_KEY": Self.ssoKey]
                environment.merge(overrides) { $1 }
                return try await TestServer.run(try await harness.configuration(environment)) { _, client in
                    let jar = try await harness.signIn(client)
                    upstream.forget()
                    return try await body(jar, upstream, client, forumURL)
                }
            }
        }
    }

    static func sameOrigin(_ jar: CookieJar, _ type: String = "application/json") -> HTTPFields {
        var headers = jar.header
        headers[.origin] = SignInHarness.publicURL
        headers[.contentType] = type
        return headers
    }

    static func profile(fromQuery query: String?) throws -> UserEchoSSOProfile {
        let pairs = FormEncoding.decode(query ?? "")
        let token = try #require(pairs["sso_token"])
        return try Self.simulator.decodeSSOToken(token)
    }

    /// An independent reading of the token: the forum simulator's own decryption.
    static let simulator = UserEchoSimulator(
        configuration: UserEchoSimulatorConfiguration(baseURL: "http://forum.invalid", apiKey: apiKey, ssoKey: ssoKey))

    @Test func signedOutIs401WithNothingUpstream() async throws {
        try await Self.withForum { _, upstream, client, _ in
            let response = try await client.execute(uri: "/api/userecho/forums", method: .get)
            #expect(response.status == .unauthorized)
            #expect(upstream.requests.isEmpty)
        }
    }

    @Test func aReadCarriesTheKeyInAHeaderAndTheSSOTokenInTheQuery() async throws {
        try await Self.withForum { jar, upstream, client, _ in
            let before = Int64(Date().timeIntervalSince1970)
            let response = try await client.getOK("/api/userecho/forums/1/topics?page=2&limit=5", headers: jar.header)
            let seen = try #require(upstream.requests.last)
            #expect(seen.path == "/api/v2/forums/1/topics.json")
            #expect(seen.headers[.authorization] == "Bearer \(Self.apiKey)")
            #expect(seen.query?.contains("page=2&limit=5") == true)
            #expect(seen.query?.contains("access_token") == false)
            let profile = try Self.profile(fromQuery: seen.query)
            #expect(profile.guid == "thingiverse:244")
            #expect(profile.displayName == "Alice Printwell")
            #expect(profile.expires > before && profile.expires <= before + 3601)
            #expect(!response.text.contains(Self.apiKey))
        }
    }

    @Test func writesCarryTheSSOTokenAsABodyParameter() async throws {
        try await Self.withForum { jar, upstream, client, _ in
            let json = try await client.execute(
                uri: "/api/userecho/forums/1/topics", method: .post, headers: Self.sameOrigin(jar),
                body: ByteBuffer(string: #"{"header":"Print bed levelling","description":"Please"}"#))
            #expect(json.status == .ok)
            let sentJSON = try #require(upstream.requests.last)
            #expect(sentJSON.method == "POST")
            guard case .object(let members) = try JSONParser.parse(Array(sentJSON.body.utf8)), case .string(let token)? = members["sso_token"] else {
                Issue.record("no sso_token member in \(sentJSON.body)")
                return
            }
            #expect(members["header"] == .string("Print bed levelling"))
            #expect(try Self.simulator.decodeSSOToken(token).guid == "thingiverse:244")
            #expect(sentJSON.query == nil || sentJSON.query?.contains("sso_token") == false)

            let form = try await client.execute(
                uri: "/api/userecho/forums/1/topics", method: .put, headers: Self.sameOrigin(jar, "application/x-www-form-urlencoded"),
                body: ByteBuffer(string: "id=3&header=Renamed"))
            #expect(form.status == .ok)
            let sentForm = try #require(upstream.requests.last)
            #expect(sentForm.method == "PUT")
            let fields = FormEncoding.decode(sentForm.body)
            #expect(fields["header"] == "Renamed")
            #expect(try Self.simulator.decodeSSOToken(try #require(fields["sso_token"])).guid == "thingiverse:244")
        }
    }

    /// JSON allows its four white-space characters around the object, CR LF among them (one
    /// `Character` in Swift, two bytes in JSON): the token still goes into the object, and the
    /// object stays valid JSON.
    @Test(arguments: ["\r\n{\"header\":\"Levelling\"}", "{\r\n}", " \t{ \r\n\"header\" : \"Levelling\" }\r\n", "{}"])
    func aJSONBodyGetsTheSSOTokenWhateverItsWhiteSpace(body: String) async throws {
        try await Self.withForum { jar, upstream, client, _ in
            let response = try await client.execute(
                uri: "/api/userecho/forums/1/topics", method: .post, headers: Self.sameOrigin(jar), body: ByteBuffer(string: body))
            #expect(response.status == .ok)
            let sent = try #require(upstream.requests.last)
            guard case .object(let members) = try JSONParser.parse(Array(sent.body.utf8)), case .string(let token)? = members["sso_token"] else {
                Issue.record("no sso_token member in \(sent.body)")
                return
            }
            #expect(try Self.simulator.decodeSSOToken(token).guid == "thingiverse:244")
            #expect(members["header"] == (body.contains("header") ? .string("Levelling") : nil))
        }
    }

    /// Every line of the never-for-browsers list, with another person's id where one is asked for.
    static let neverForBrowsers: [(method: String, path: String)] = EndpointAllowList.userechoNeverForBrowsers.map { line in
        let parts = line.split(separator: " ", maxSplits: 1)
        let path = String(parts[1])
            .replacingOccurrences(of: "{guid}", with: "thingiverse:1").replacingOccurrences(of: "{kind}", with: "image")
            .replacingOccurrences(of: "{id}", with: "18")
        return (String(parts[0]), "/api/userecho" + path)
    }

    @Test(arguments: neverForBrowsers)
    func commandsNeverForBrowsersAre403WithNothingForwarded(method: String, path: String) async throws {
        try await Self.withForum { jar, upstream, client, _ in
            // The person's own UserEcho id is learned first (users/{id} paths are open for it alone).
            #expect(try await client.execute(uri: "/api/userecho/users/17", method: .get, headers: jar.header).status == .ok)
            upstream.forget()
            let response = try await client.execute(
                uri: path, method: HTTPRequest.Method(method)!, headers: Self.sameOrigin(jar), body: ByteBuffer(string: "{}"))
            #expect(response.status == .forbidden, "\(method) \(path) -> \(response.status)")
            #expect(upstream.requests.isEmpty, "\(method) \(path) reached UserEcho")
        }
    }

    @Test func unknownCommandsAre404() async throws {
        try await Self.withForum { jar, upstream, client, _ in
            for path in ["/api/userecho/admin", "/api/userecho/forums/1/secret", "/api/userecho/../api/v2/hooks", "/api/userecho/topics/abc"] {
                let response = try await client.execute(uri: path, method: .get, headers: jar.header)
                #expect([.notFound, .badRequest].contains(response.status), "\(path) -> \(response.status)")
            }
            #expect(upstream.requests.isEmpty)
        }
    }

    @Test(arguments: [
        ("/api/userecho/forums/1/topics?sso_token=forged", ""), ("/api/userecho/forums/1/topics?user_id=1", ""),
        ("/api/userecho/forums/1/topics?USER_SSO_GUID=thingiverse:1", ""), ("/api/userecho/forums/1/topics?access_token=another-key", ""),
        ("/api/userecho/forums/1/topics", #"{"header":"x","user_id":1}"#), ("/api/userecho/forums/1/topics", #"{"sso_token":"forged"}"#),
        ("/api/userecho/topics/3/comments", "text=hi&user_sso_guid=thingiverse:1"),
        // `=` and a combining mark are one Swift Character; UserEcho still reads the name.
        ("/api/userecho/topics/3/comments", "text=hi&sso_token=\u{0301}forged"),
    ])
    func nobodyCanChooseWhomTheAppActsAs(path: String, body: String) async throws {
        try await Self.withForum { jar, upstream, client, _ in
            let isForm = body.contains("=") && !body.hasPrefix("{")
            let response: TestResponse
            if body.isEmpty {
                response = try await client.execute(uri: path, method: .get, headers: jar.header)
            } else {
                response = try await client.execute(
                    uri: path, method: .post, headers: Self.sameOrigin(jar, isForm ? "application/x-www-form-urlencoded" : "application/json"),
                    body: ByteBuffer(string: body))
            }
            #expect(response.status == .badRequest)
            #expect(try response.errorBody().error == "identity_parameter_refused")
            #expect(upstream.requests.isEmpty)
        }
    }

    @Test func usersPathsOpenOnlyForThePersonsOwnID() async throws {
        try await Self.withForum { jar, upstream, client, _ in
            for path in ["/api/userecho/users/17", "/api/userecho/users/17/topics", "/api/userecho/users/17/comments"] {
                let own = try await client.execute(uri: path, method: .get, headers: jar.header)
                #expect(own.status == .ok, "\(path)")
            }
            let other = try await client.execute(uri: "/api/userecho/users/18/topics", method: .get, headers: jar.header)
            #expect(other.status == .forbidden)
            // users/current was asked once and remembered.
            #expect(
                upstream.requests.map(\.path) == [
                    "/api/v2/users/current.json", "/api/v2/users/17.json", "/api/v2/users/17/topics.json", "/api/v2/users/17/comments.json",
                ])
        }
    }

    @Test(arguments: [
        ("/forums/1", "/forums/1"), ("//evil.example.com/x", "/"), ("/\\evil.example.com", "/"), ("https://evil.example.com", "/"),
        ("/%2f%2fevil.example.com", "/"), ("@evil.example.com", "/"), ("/topics/3?tab=votes", "/topics/3?tab=votes"),
    ])
    func singleSignOnStaysOnTheForumsHost(returnTo: String, expectedPath: String) async throws {
        try await Self.withForum { jar, _, client, forumURL in
            let response = try await client.execute(
                uri: "/sso/userecho?return_to=\(FormEncoding.escape(returnTo))", method: .get, headers: jar.header)
            #expect(response.status == .found)
            let location = try #require(response.headers[.location])
            let separator = expectedPath.contains("?") ? "&" : "?"
            #expect(location.hasPrefix(forumURL + expectedPath + separator + "sso_token="), "\(location)")
            let query = try #require(URLComponents(string: location)?.percentEncodedQuery)
            #expect(try Self.profile(fromQuery: query).guid == "thingiverse:244")
        }
    }

    @Test func signedOutSingleSignOnSignsInFirstAndComesBack() async throws {
        try await Self.withForum { _, _, client, _ in
            let response = try await client.execute(uri: "/sso/userecho?return_to=/forums/2", method: .get)
            #expect(response.status == .found)
            #expect(response.headers[.location] == "/auth/login?return_to=" + FormEncoding.escape("/sso/userecho?return_to=/forums/2"))
            let login = try await client.execute(uri: try #require(response.headers[.location]), method: .get)
            #expect(login.status == .found)
        }
    }

    @Test func theWidgetTokenNamesThePersonAndIsNoStore() async throws {
        try await Self.withForum { jar, _, client, _ in
            #expect(try await client.execute(uri: "/sso/userecho/token", method: .get).status == .unauthorized)
            let response = try await client.getOK("/sso/userecho/token", headers: jar.header)
            #expect(response.headers[.cacheControl] == "no-store")
            struct Reply: Decodable {
                let sso_token: String
                let expires: Int64
            }
            let reply = try JSONDecoder().decode(Reply.self, from: Data(response.body.readableBytesView))
            let profile = try Self.simulator.decodeSSOToken(reply.sso_token)
            #expect(profile.guid == "thingiverse:244")
            #expect(profile.expires == reply.expires)
        }
    }

    @Test func logoutEndsTheForumSessionsInTheBackground() async throws {
        try await Self.withForum { jar, upstream, client, _ in
            var headers = jar.header
            headers[.origin] = SignInHarness.publicURL
            let logout = try await client.execute(uri: "/auth/logout", method: .post, headers: headers)
            #expect(logout.status == .noContent)
            for _ in 0..<250 where !upstream.requests.contains(where: { $0.path == "/api/v2/users/17/logout.json" }) {
                try await Task.sleep(for: .milliseconds(20))
            }
            let ended = try #require(upstream.requests.first { $0.path == "/api/v2/users/17/logout.json" })
            #expect(ended.headers[.authorization] == "Bearer \(Self.apiKey)")
        }
    }

    @Test func withoutAnSSOKeyTheForumAPIIsUnavailableAndSingleSignOnIsOff() async throws {
        try await Self.withForum(["USERECHO_SSO_KEY": ""]) { jar, upstream, client, _ in
            let response = try await client.execute(uri: "/api/userecho/forums", method: .get, headers: jar.header)
            #expect(response.status == .serviceUnavailable)
            #expect(upstream.requests.isEmpty)
            #expect(try await client.execute(uri: "/sso/userecho", method: .get, headers: jar.header).status == .notFound)
        }
    }
}

/// The whole way through against the UserEcho simulator: the forum sees the person.
@Suite struct UserEchoForumTests {
    /// Runs `body` with the UserEcho simulator on its own port (with the test keys) and its URL;
    /// shuts the simulator down afterwards.
    static func withLiveForum(_ body: @Sendable (UserEchoSimulator, _ url: String) async throws -> Void) async throws {
        let forum = UserEchoSimulator(
            configuration: UserEchoSimulatorConfiguration(baseURL: "http://forum.invalid", apiKey: UserEchoTests.apiKey, ssoKey: UserEchoTests.ssoKey)
        )
        let router = Router()
        router.addRoutes(forum.routes(context: BasicRequestContext.self, prefix: ""))
        let forumServer = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await forumServer.test(.live) { forumClient in
            let forumURL = "http://127.0.0.1:\(forumClient.port!)"
            forum.setBaseURL(forumURL)
            try await body(forum, forumURL)
        }
        try await forum.shutdown()
    }

    @Test func topicsWrittenThroughTheProxyAreThePersonsAndLogoutEndsTheirForumSessions() async throws {
        try await SignInHarness.run { harness in
            try await Self.withLiveForum { forum, forumURL in
                let configuration = try await harness.configuration([
                    "USERECHO_URL": forumURL, "USERECHO_API_KEY": UserEchoTests.apiKey, "USERECHO_SSO_KEY": UserEchoTests.ssoKey,
                ])
                try await TestServer.run(configuration) { _, client in
                    let jar = try await harness.signIn(client, user: "bob_builds")
                    let created = try await client.execute(
                        uri: "/api/userecho/forums/1/topics", method: .post, headers: UserEchoTests.sameOrigin(jar),
                        body: ByteBuffer(string: #"{"header":"Support 0.2 mm nozzles","description":"For miniatures."}"#))
                    #expect(created.status == .ok, "\(created.text)")
                    #expect(created.text.contains("\"status\":\"success\""))
                    let bob = try #require(forum.users.first { $0.guid == "thingiverse:731542" }, "the forum created the person")
                    let current = try await client.execute(uri: "/api/userecho/users/current", method: .get, headers: jar.header)
                    #expect(current.text.contains("\"id\":\(bob.id)"))
                    let mine = try await client.execute(uri: "/api/userecho/users/\(bob.id)/topics", method: .get, headers: jar.header)
                    #expect(mine.text.contains("Support 0.2 mm nozzles"))

                    let logout = try await client.execute(uri: "/auth/logout", method: .post, headers: UserEchoTests.sameOrigin(jar))
                    #expect(logout.status == .noContent)
                    for _ in 0..<250 where !forum.loggedOutUserIDs.contains(bob.id) {
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    #expect(forum.loggedOutUserIDs == [bob.id])
                }
            }
        }
    }

    @Test func hooksSyncRegistersEveryEventOnceHoweverOftenItRuns() async throws {
        try await Self.withLiveForum { forum, forumURL in
            let configuration = try await TestEnvironment.serverConfiguration([
                "THINGBRIDGE_PUBLIC_URL": "https://app.example.com", "USERECHO_URL": forumURL, "USERECHO_API_KEY": UserEchoTests.apiKey,
                "USERECHO_WEBHOOK_SECRETS": UserEchoHookTests.secret,
            ])
            let target = "https://app.example.com/webhooks/userecho/\(UserEchoHookTests.secret)"
            let first = try await UserEchoHookRegistration.run(configuration: configuration) { registration, url in
                #expect(url == target)
                return try await registration.sync(targetURL: target)
            }
            #expect(first.added == UserEchoHook.events)
            #expect(first.alreadyThere.isEmpty)
            let second = try await UserEchoHookRegistration.run(configuration: configuration) { registration, _ in
                try await registration.sync(targetURL: target)
            }
            #expect(second.added.isEmpty)
            #expect(second.alreadyThere == UserEchoHook.events)
            #expect(forum.hooks.count == UserEchoHook.events.count)
            #expect(Set(forum.hooks.map(\.targetURL)) == [target])
            let listed = try await UserEchoHookRegistration.run(configuration: configuration) { registration, _ in try await registration.list() }
            #expect(listed.count == UserEchoHook.events.count)
        }
    }
}
