import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import ThingiverseSimulator

@Suite struct FaultTests {
    @Test func allFaultsAreOffByDefault() {
        #expect(Fixture.simulator().faults == SimulatorFaults())
        let faults = SimulatorFaults()
        #expect(faults.delay == nil && !faults.htmlChallenge && !faults.serverError && !faults.dropState)
        #expect(!faults.foreignAudience)
    }

    @Test func delayIsMeasurableOnAPIAndOAuth() async throws {
        let simulator = Fixture.simulator()
        let token = simulator.token(for: "alice_prints")
        simulator.setFaults {
            // A whole second, so that "images are not delayed" holds with a wide margin on a busy machine.
            $0.delay = .seconds(1)
        }
        try await withRouter(simulator) { client in
            let clock = ContinuousClock()
            let apiTime = try await clock.measure {
                _ = try await client.getOK("/api/users/me", headers: bearer(token))
            }
            #expect(apiTime >= .seconds(1))
            let oauthTime = try await clock.measure {
                let response = try await OAuthSteps.tokenInfo(client, token: token)
                #expect(response.status == .ok)
            }
            #expect(oauthTime >= .seconds(1))
            // Images are not delayed.
            let mediaTime = try await clock.measure {
                _ = try await client.execute(uri: "/api/_media/users/alice_prints_thumb.png", method: .get)
            }
            #expect(mediaTime < .seconds(1))
        }
    }

    @Test func htmlChallengeAnswersEveryOAuthAndAPIRequestWithAnHTMLPage() async throws {
        let simulator = Fixture.simulator()
        simulator.setFaults { $0.htmlChallenge = true }
        try await withRouter(simulator, signedIn: "alice_prints") { client, token in
            let responses = [
                try await client.api(.get, "/users/me", token: token),
                try await client.execute(uri: "/login/oauth/authorize?client_id=client-one", method: .get),
                try await OAuthSteps.exchange(client, code: "x"),
                try await OAuthSteps.tokenInfo(client, token: token),
            ]
            for response in responses {
                #expect(response.status == .forbidden)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(response.text.contains("<title>Just a moment...</title>"))
            }
            _ = try await client.getOK("/api/_media/users/alice_prints_thumb.png")
        }
    }

    @Test func serverErrorAnswers503() async throws {
        let simulator = Fixture.simulator()
        simulator.setFaults { $0.serverError = true }
        try await withRouter(simulator, signedIn: "alice_prints") { client, token in
            let api = try await client.api(.get, "/users/me", token: token)
            #expect(api.status == .serviceUnavailable)
            #expect(api.headers[.contentType]?.hasPrefix("text/html") == true)
            let oauth = try await OAuthSteps.tokenInfo(client, token: token)
            #expect(oauth.status == .serviceUnavailable)
            simulator.setFaults(SimulatorFaults())
            #expect(try await client.api(.get, "/users/me", token: token).status == .ok)
        }
    }

    @Test func controlEndpointReadsAndReplacesTheFaults() async throws {
        let simulator = Fixture.simulator()
        try await withRouter(simulator) { client in
            let initial = try await client.execute(uri: "/_control/faults", method: .get)
            #expect(
                initial.text
                    == #"{"delayMilliseconds":0,"htmlChallenge":false,"serverError":false,"htmlErrorPage":false,"formRepliesAsHTML":false,"dropState":false,"foreignAudience":false}"#
            )
            let set = try await client.execute(
                uri: "/_control/faults", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"delayMilliseconds":250,"serverError":true,"dropState":true}"#))
            #expect(set.status == .ok)
            var expected = SimulatorFaults()
            expected.delay = .milliseconds(250)
            expected.serverError = true
            expected.dropState = true
            #expect(simulator.faults == expected)
            // The control endpoint itself is never subject to faults.
            let read = try await client.getOK("/_control/faults")
            #expect(try read.jsonObject()["delayMilliseconds"] as? Int == 250)

            let cleared = try await client.execute(
                uri: "/_control/faults", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: "{}"))
            #expect(cleared.status == .ok)
            #expect(simulator.faults == SimulatorFaults())
        }
    }

    @Test func controlEndpointRefusesNonJSONAndBadValues() async throws {
        let simulator = Fixture.simulator()
        try await withRouter(simulator) { client in
            let asForm = try await client.postForm("/_control/faults", [("serverError", "true")])
            #expect(asForm.status == .unsupportedMediaType)
            let negative = try await client.execute(
                uri: "/_control/faults", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"delayMilliseconds":-5}"#))
            #expect(negative.status == .badRequest)
            let wrongType = try await client.execute(
                uri: "/_control/faults", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"serverError":"yes"}"#))
            #expect(wrongType.status == .badRequest)
            #expect(simulator.faults == SimulatorFaults())
        }
    }
}
