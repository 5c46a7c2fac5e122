import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import ThingiverseSimulator

@Suite struct UserEchoAPIAccessTests {
    @Test func missingKeyIsRefusedWith401() async throws {
        try await withUserEchoRouter(UserEchoFixture.simulator()) { client in
            let response = try await client.userEcho("forums", key: nil)
            #expect(response.status == .unauthorized)
            #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            #expect(try response.userEchoError().contains("access_token"))
        }
    }

    @Test func wrongKeyIsRefusedWith401InQueryAndHeader() async throws {
        try await withUserEchoRouter(UserEchoFixture.simulator()) { client in
            let inQuery = try await client.userEcho("forums", key: "not-the-key")
            #expect(inQuery.status == .unauthorized)
            #expect(try inQuery.userEchoError() == "Invalid access_token.")
            let inHeader = try await client.userEcho("forums", key: nil, headers: bearer("not-the-key"))
            #expect(inHeader.status == .unauthorized)
            let basic = try await client.userEcho("forums", key: nil, headers: [.authorization: "Basic abc"])
            #expect(basic.status == .unauthorized)
        }
    }

    /// The edge faults answer the API with their page, logged like any call; the forum's pages
    /// stay up.
    @Test func edgeFaultsAnswerTheAPIButNotTheForumPages() async throws {
        let simulator = UserEchoFixture.simulator()
        simulator.setFaults { $0.htmlChallenge = true }
        try await withUserEchoRouter(simulator) { client in
            let challenged = try await client.userEcho("forums")
            #expect(challenged.status == .forbidden)
            #expect(challenged.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(challenged.text.contains("<title>Just a moment...</title>"))
            _ = try await client.getOK("/forums/1-ideas-feedback")
            simulator.setFaults { $0.serverError = true }
            #expect(try await client.userEcho("forums").status == .serviceUnavailable)
            simulator.setFaults(SimulatorFaults())
            #expect(try await client.userEcho("forums").status == .ok)
        }
        #expect(simulator.requestCount(path: "/forums.json") == 3)
    }

    @Test func keyIsAcceptedInQueryOrAsBearer() async throws {
        try await withUserEchoRouter(UserEchoFixture.simulator()) { client in
            let inQuery = try await client.userEcho("forums")
            #expect(inQuery.status == .ok)
            #expect(try inQuery.userEchoList().count == 2)
            let asBearer = try await client.userEcho("forums", key: nil, headers: bearer(UserEchoFixture.apiKey))
            #expect(asBearer.status == .ok)
            // ".json" may be left out.
            _ = try await client.getOK("/api/v2/forums", headers: bearer(UserEchoFixture.apiKey))
        }
    }

    @Test func unknownCommandsAndObjectsAre404() async throws {
        try await withUserEchoRouter(UserEchoFixture.simulator()) { client in
            let command = try await client.userEcho("widgets")
            #expect(command.status == .notFound)
            #expect(try command.userEchoError().contains("widgets"))
            #expect(try await client.userEcho("topics/999").status == .notFound)
            #expect(try await client.userEcho("forums/9/topics").status == .notFound)
            #expect(try await client.userEcho("users/abc").status == .notFound)
            #expect(try await client.userEcho("forums/1/upload/video", method: .post, form: [("a", "b")]).status == .notFound)
        }
    }

    @Test func wrongMethodIs405WithAllow() async throws {
        try await withUserEchoRouter(UserEchoFixture.simulator()) { client in
            let response = try await client.userEcho("topics/1", method: .put, form: [("header", "x")])
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers[.allow] == "GET, DELETE")
            #expect(try response.userEchoError().contains("PUT"))
        }
    }

    @Test func overTheRateLimitIs429WithRetryAfter() async throws {
        let simulator = UserEchoFixture.simulator { $0.rateLimit = 2 }
        try await withUserEchoRouter(simulator) { client in
            #expect(try await client.userEcho("forums").status == .ok)
            #expect(try await client.userEcho("forums").status == .ok)
            let refused = try await client.userEcho("forums")
            #expect(refused.status == .tooManyRequests)
            #expect(Int(refused.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(try refused.userEchoError().contains("Rate limit"))
            // Wrong keys are refused before they count.
            #expect(try await client.userEcho("forums", key: "nope").status == .unauthorized)
        }
    }

    @Test func badJSONBodyIs400() async throws {
        try await withUserEchoRouter(UserEchoFixture.simulator()) { client in
            let response = try await client.userEcho("forums/1/topics", method: .post, json: "[1, 2")
            #expect(response.status == .badRequest)
            #expect(try response.userEchoError().contains("JSON"))
        }
    }

    @Test func requestLogKeepsTheQueryButRedactsSecrets() async throws {
        let simulator = UserEchoFixture.simulator()
        let token = try UserEchoFixture.ssoToken(urlEncoded: true)
        try await withUserEchoRouter(simulator, prefix: "/sim/userecho") { client in
            _ = try await client.userEcho(
                "forums/1/topics", query: "page=2&sso_token=\(token)&limit=5", prefix: "/sim/userecho")
        }
        #expect(
            simulator.requestLog() == [
                "GET /sim/userecho/api/v2/forums/1/topics.json?access_token=<redacted>&page=2&sso_token=<redacted>&limit=5"
            ])
        #expect(!simulator.requestLog().joined().contains(UserEchoFixture.apiKey))
        let record = try #require(simulator.lastRequest())
        #expect(record.method == "GET")
        #expect(record.path == "/sim/userecho/api/v2/forums/1/topics.json")
        #expect(record.query["page"] == "2")
        #expect(record.query["limit"] == "5")
        #expect(try simulator.decodeSSOToken(try #require(record.query["sso_token"])).guid == "thingiverse:9001")
        #expect(record.hasAuthorizationHeader == false)
        // Counted under the full path, the path below the prefix and the command.
        #expect(simulator.requestCount(path: "/sim/userecho/api/v2/forums/1/topics.json") == 1)
        #expect(simulator.requestCount(path: "/api/v2/forums/1/topics.json") == 1)
        #expect(simulator.requestCount(path: "forums/1/topics.json?page=3") == 1)
        #expect(simulator.requestCount(path: "forums/2/topics.json") == 0)
    }

    @Test func lastRequestDecodesFormAndJSONBodies() async throws {
        let simulator = UserEchoFixture.simulator()
        try await withUserEchoRouter(simulator) { client in
            _ = try await client.userEcho(
                "topics/1/comments", method: .post, key: nil, form: [("text", "Hello & bye"), ("sso_token", "abc+/=")],
                headers: bearer(UserEchoFixture.apiKey))
            var record = try #require(simulator.lastRequest())
            #expect(record.method == "POST")
            #expect(record.body == ["text": "Hello & bye", "sso_token": "abc+/="])
            #expect(record.hasAuthorizationHeader)
            #expect(record.contentType == "application/x-www-form-urlencoded")
            _ = try await client.userEcho("forums/1/topics", method: .post, json: #"{"header":"Hi","type":1,"tags":["ui"]}"#)
            record = try #require(simulator.lastRequest())
            #expect(record.body == ["header": "Hi", "type": "1", "tags": #"["ui"]"#])
        }
    }
}
