import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing
import ThingiverseSimulator

@Suite struct MountingTests {
    @Test func routesWorkUnderAPrefixLikeThingBridgeMountsThem() async throws {
        let simulator = ThingiverseSimulator(
            configuration: SimulatorConfiguration(
                webBaseURL: "http://127.0.0.1:8080/sim/", apiBaseURL: "http://127.0.0.1:8080/sim/api",
                apps: [Fixture.app]))
        #expect(simulator.configuration.webBaseURL == "http://127.0.0.1:8080/sim")
        let token = simulator.token(for: "makerbot")
        try await withRouter(simulator, webPrefix: "/sim", apiPrefix: "/sim/api") { client in
            let page = try await client.getOK("/sim/login/oauth/authorize?client_id=client-one")
            #expect(page.text.contains("action=\"http://127.0.0.1:8080/sim/login/oauth/authorize\""))
            let me = try await client.execute(uri: "/sim/api/users/me", method: .get, headers: bearer(token))
            #expect(try me.jsonObject()["url"] as? String == "http://127.0.0.1:8080/sim/api/users/makerbot")
            let newest = try await client.execute(uri: "/sim/api/newest", method: .get, headers: bearer(token))
            #expect(newest.header("Link")?.hasPrefix("<http://127.0.0.1:8080/sim/api/newest?page=2") == true)
            #expect(try await client.execute(uri: "/sim/api/zzz", method: .get, headers: bearer(token)).status == .notFound)
        }
        #expect(
            simulator.requestLog() == [
                "GET /sim/login/oauth/authorize", "GET /sim/api/users/me", "GET /sim/api/newest", "GET /sim/api/zzz",
            ])
        #expect(simulator.requestCount(path: "/users/me") == 1)
        #expect(simulator.requestCount(path: "/sim/api/users/me/") == 1)
        #expect(simulator.requestCount(path: "/login/oauth/access_token") == 0)
    }

    @Test func requestCountProvesWhichOAuthStepsHappened() async throws {
        let simulator = Fixture.simulator()
        try await withRouter(simulator) { client in
            _ = try await OAuthSteps.token(client)
            _ = try await client.execute(uri: "/api/users/me?access_token=abc", method: .get)
        }
        #expect(simulator.requestCount(path: "/login/oauth/authorize") == 1)
        #expect(simulator.requestCount(path: "/login/oauth/access_token") == 1)
        #expect(simulator.requestCount(path: "/login/oauth/tokeninfo") == 0)
        #expect(simulator.requestLog().last == "GET /api/users/me")
    }

    @Test func seededUsersAreTheFourDocumentedOnes() {
        #expect(Fixture.simulator().seededUsers == ["thingiverse", "makerbot", "alice_prints", "bob_builds"])
    }

    @Test func standaloneApplicationServesTheSimulatorOverARealSocket() async throws {
        let simulator = Fixture.simulator()
        let token = simulator.token(for: "alice_prints")
        let app = makeStandaloneSimulatorApplication(
            simulator: simulator, host: "127.0.0.1", port: 0, logger: Logger(label: "simulator-test"))
        try await app.test(.live) { client in
            let index = try await client.getOK("/")
            #expect(index.text.contains("Sign in to Print &lt;Shop&gt;"))
            let me = try await client.api(.get, "/users/me", token: token)
            #expect(try me.jsonObject()["name"] as? String == "alice_prints")
            _ = try await client.getOK("/login/oauth/authorize?client_id=client-one")
        }
    }
}
