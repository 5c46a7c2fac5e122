import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import ThingiverseSimulator

@Suite struct TokenInfoTests {
    @Test func reportsTheAppAsAudienceAndTheUserIDAsAString() async throws {
        try await withRouter(Fixture.simulator()) { client in
            let token = try await OAuthSteps.token(client, user: "alice_prints")
            let response = try await OAuthSteps.tokenInfo(client, token: token)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(response.text == #"{"audience":"client-one","user_id":"244"}"#)
        }
    }

    @Test func foreignAudienceFaultReportsAnotherApp() async throws {
        let simulator = Fixture.simulator()
        try await withRouter(simulator) { client in
            let before = try await OAuthSteps.token(client)
            simulator.setFaults { $0.foreignAudience = true }
            let after = try await OAuthSteps.token(client)
            let foreign = try await OAuthSteps.tokenInfo(client, token: after).jsonObject()
            #expect(foreign["audience"] as? String == "someone-elses-app")
            // Tokens issued before the fault keep their real audience.
            let earlier = try await OAuthSteps.tokenInfo(client, token: before).jsonObject()
            #expect(earlier["audience"] as? String == "client-one")
        }
    }

    @Test func unknownTokenIsInvalid() async throws {
        try await withRouter(Fixture.simulator()) { client in
            let response = try await OAuthSteps.tokenInfo(client, token: "e72e16c7e42f292c6912e7710c838347ae178b4a")
            #expect(response.status == .badRequest)
            #expect(response.text == #"{"error":"invalid_token"}"#)
        }
    }

    @Test func acceptsTheTokenAsJSONOrInTheQuery() async throws {
        let simulator = Fixture.simulator()
        let token = simulator.issueToken(user: "bob_builds", clientID: "client-two")
        try await withRouter(simulator) { client in
            let json = try await client.execute(
                uri: "/login/oauth/tokeninfo", method: .post, headers: [.contentType: "application/json"],
                body: .init(string: #"{"access_token":"\#(token)"}"#))
            #expect(json.text == #"{"audience":"client-two","user_id":"731542"}"#)
            let query = try await client.execute(uri: "/login/oauth/tokeninfo?access_token=\(token)", method: .post)
            #expect(query.status == .ok)
        }
    }
}
