import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import ThingiverseSimulator

@Suite struct FlattrRateLimitTests {
    @Test func everyAnswerCarriesTheBudgetOfItsToken() async throws {
        let simulator = FlattrFixture.simulator()
        let alice = simulator.token(for: "alice_flattrs")
        try await withRouter(simulator, signedIn: "bob_supports") { client, bob in
            let first = try await client.api(.get, "/user", token: alice)
            #expect(first.header("X-RateLimit-Limit") == "5000")
            #expect(first.header("X-RateLimit-Remaining") == "4999")
            let notFound = try await client.api(.get, "/things/1", token: alice)
            #expect(notFound.status == .notFound)
            #expect(notFound.header("X-RateLimit-Remaining") == "4998")
            let other = try await client.api(.get, "/user", token: bob)
            #expect(other.header("X-RateLimit-Remaining") == "4999")
            let anonymous = try await client.execute(uri: "/api/users/smgt", method: .get)
            #expect(anonymous.header("X-RateLimit-Remaining") == "4999")
            let unauthorized = try await client.execute(uri: "/api/user", method: .get)
            #expect(unauthorized.status == .unauthorized)
            #expect(unauthorized.header("X-RateLimit-Remaining") == "4998")
        }
    }

    @Test func spentBudgetAnswers429UntilTheWindowEnds() async throws {
        let simulator = FlattrFixture.simulator {
            $0.rateLimit = 2
            // Long enough that a busy machine cannot let the window pass between the requests.
            $0.rateWindow = .seconds(3)
        }
        try await withRouter(simulator, signedIn: "smgt") { client, token in
            for remaining in ["1", "0"] {
                let response = try await client.getOK("/api/user", headers: bearer(token))
                #expect(response.header("X-RateLimit-Remaining") == remaining)
            }
            let refused = try await client.api(.get, "/user", token: token)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.contentType] == "application/json;charset=utf-8")
            #expect(refused.header("X-RateLimit-Limit") == "2")
            #expect(refused.header("X-RateLimit-Remaining") == "0")
            #expect(["1", "2", "3"].contains(refused.headers[.retryAfter] ?? ""))
            let error = try refused.jsonObject()
            #expect(error["error"] as? String == "rate_limit_exceeded")
            #expect(error["error_uri"] as? String == "http://developers.flattr.net/api")
            try await Task.sleep(for: .milliseconds(3100))
            let later = try await client.getOK("/api/user", headers: bearer(token))
            #expect(later.header("X-RateLimit-Remaining") == "1")
        }
    }
}

@Suite struct FlattrFaultTests {
    @Test func allFaultsAreOffByDefault() {
        let faults = FlattrFixture.simulator().faults
        #expect(faults == SimulatorFaults())
        #expect(faults.delay == nil && !faults.htmlChallenge && !faults.serverError)
    }

    @Test func htmlChallengeAnswersOAuthAndAPIWithAnHTMLPage() async throws {
        let simulator = FlattrFixture.simulator()
        let token = simulator.token(for: "alice_flattrs")
        var faults = SimulatorFaults()
        faults.htmlChallenge = true
        faults.serverError = true
        simulator.setFaults(faults)
        #expect(simulator.faults == faults)
        try await withRouter(simulator) { client in
            let responses = [
                try await client.api(.get, "/user", token: token),
                try await client.execute(uri: "/oauth/authorize?response_type=code&client_id=flattr-client-one", method: .get),
                try await FlattrSteps.decide(client),
                try await FlattrSteps.exchange(client, code: "x"),
            ]
            for response in responses {
                #expect(response.status == .forbidden)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(response.text.contains("<title>Just a moment...</title>"))
                #expect(response.header("cf-mitigated") == "challenge")
            }
            _ = try await client.getOK("/thing/image/4/2/3/4/0/5/medium.png")
        }
        #expect(simulator.tokenRequests().map(\.succeeded) == [false])
    }

    @Test func serverErrorAnswers503HTML() async throws {
        let simulator = FlattrFixture.simulator()
        simulator.setFaults { $0.serverError = true }
        try await withRouter(simulator) { client in
            for uri in ["/api/things/423405", "/oauth/authorize?response_type=code&client_id=flattr-client-one"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
            }
            #expect(try await FlattrSteps.exchange(client, code: "x").status == .serviceUnavailable)
        }
    }

    @Test func delayIsMeasurableOnAPIAndOAuth() async throws {
        let simulator = FlattrFixture.simulator()
        simulator.setFaults { $0.delay = .milliseconds(300) }
        try await withRouter(simulator) { client in
            let clock = ContinuousClock()
            let apiTime = try await clock.measure {
                _ = try await client.getOK("/api/things/423405")
            }
            #expect(apiTime >= .milliseconds(300))
            let oauthTime = try await clock.measure {
                let response = try await FlattrSteps.exchange(client, code: "x")
                #expect(response.status == .badRequest)
            }
            #expect(oauthTime >= .milliseconds(300))
        }
    }
}

@Suite struct FlattrMountingTests {
    @Test func mountedBelowPrefixesWithBaseURLsSetLater() async throws {
        let simulator = FlattrFixture.simulator()
        simulator.setBaseURLs(web: "http://127.0.0.1:9000/sim/flattr/", api: "http://127.0.0.1:9000/sim/flattr/api/")
        #expect(simulator.configuration.webBaseURL == "http://127.0.0.1:9000/sim/flattr")
        let token = simulator.token(for: "flattr")
        try await withRouter(simulator, webPrefix: "/sim/flattr", apiPrefix: "/sim/flattr/api/") { client in
            let page = try await client.execute(
                uri: "/sim/flattr/oauth/authorize?response_type=code&client_id=flattr-client-one", method: .get)
            #expect(page.status == .ok)
            #expect(page.text.contains("action=\"http://127.0.0.1:9000/sim/flattr/oauth/authorize\""))
            let lookup = try await client.execute(
                uri: "/sim/flattr/api/things/lookup?url=https%3A%2F%2Fgithub.com%2Fsimon%2Fflattr", method: .get,
                headers: bearer(token))
            #expect(lookup.headers[.location] == "http://127.0.0.1:9000/sim/flattr/api/things/450287")
            let thing = try await client.execute(uri: "/sim/flattr/api/things/423405", method: .get).jsonObject()
            #expect(thing["link"] as? String == "http://127.0.0.1:9000/sim/flattr/thing/423405")
            #expect(try await client.execute(uri: "/oauth/authorize", method: .get).status == .notFound)
        }
        #expect(simulator.requestCount(path: "/oauth/authorize") == 1)
        #expect(simulator.requestCount(path: "/sim/flattr/oauth/authorize/") == 1)
        #expect(simulator.requestCount(path: "/things/423405") == 1)
        #expect(simulator.requestCount(path: "/sim/flattr/api/things/lookup") == 1)
        #expect(simulator.requestCount(path: "/oauth/token") == 0)
        #expect(
            simulator.requestLog() == [
                "GET /sim/flattr/oauth/authorize", "GET /sim/flattr/api/things/lookup",
                "GET /sim/flattr/api/things/423405",
            ])
    }
}

@Suite struct FlattrWebPageTests {
    @Test func profileAndThingLinksArePages() async throws {
        try await withRouter(FlattrFixture.simulator()) { client in
            let profile = try await client.getOK("/profile/alice_flattrs")
            #expect(profile.text.contains("Alice Andersson"))
            #expect(profile.text.contains("Knitting patterns for winter"))
            #expect(!profile.text.contains("Lisbon"))
            let thing = try await client.getOK("/thing/423405")
            #expect(thing.text.contains("API v2 beta out - what&#39;s changed?"))
            #expect(try await client.execute(uri: "/profile/nobody", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/thing/1", method: .get).status == .notFound)
        }
    }

    @Test func avatarsAndThingImagesArePNGs() async throws {
        try await withRouter(FlattrFixture.simulator()) { client in
            for uri in ["/profile/smgt/avatar.png", "/thing/image/4/2/3/4/0/5/medium.png", "/thing/image/4/5/large.png"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .ok, "\(uri)")
                #expect(response.headers[.contentType] == "image/png")
                #expect(Array(response.bytes.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
            }
            #expect(try await client.execute(uri: "/thing/image/4/2/huge.png", method: .get).status == .notFound)
        }
    }
}
