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
        let token = simulator.issueToken(user: "alice_prints", clientID: "client-one")
        var faults = SimulatorFaults()
        // A whole second, so that "images are not delayed" holds with a wide margin on a busy machine.
        faults.delay = .seconds(1)
        simulator.setFaults(faults)
        try await withRouter(simulator) { client in
            let clock = ContinuousClock()
            let apiTime = try await clock.measure {
                let response = try await client.execute(uri: "/api/users/me", method: .get, headers: bearer(token))
                #expect(response.status == .ok)
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
        let token = simulator.issueToken(user: "alice_prints", clientID: "client-one")
        var faults = SimulatorFaults()
        faults.htmlChallenge = true
        simulator.setFaults(faults)
        try await withRouter(simulator) { client in
            let responses = [
                try await client.execute(uri: "/api/users/me", method: .get, headers: bearer(token)),
                try await client.execute(uri: "/login/oauth/authorize?client_id=client-one", method: .get),
                try await OAuthSteps.exchange(client, code: "x"),
                try await OAuthSteps.tokenInfo(client, token: token),
            ]
            for response in responses {
                #expect(response.status == .forbidden)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(response.text.contains("<title>Just a moment...</title>"))
            }
            let image = try await client.execute(uri: "/api/_media/users/alice_prints_thumb.png", method: .get)
            #expect(image.status == .ok)
        }
    }

    @Test func serverErrorAnswers503() async throws {
        let simulator = Fixture.simulator()
        let token = simulator.issueToken(user: "alice_prints", clientID: "client-one")
        var faults = SimulatorFaults()
        faults.serverError = true
        simulator.setFaults(faults)
        try await withRouter(simulator) { client in
            let api = try await client.execute(uri: "/api/users/me", method: .get, headers: bearer(token))
            #expect(api.status == .serviceUnavailable)
            #expect(api.headers[.contentType]?.hasPrefix("text/html") == true)
            let oauth = try await OAuthSteps.tokenInfo(client, token: token)
            #expect(oauth.status == .serviceUnavailable)
            simulator.setFaults(SimulatorFaults())
            #expect(try await client.execute(uri: "/api/users/me", method: .get, headers: bearer(token)).status == .ok)
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
            let read = try await client.execute(uri: "/_control/faults", method: .get)
            #expect(read.status == .ok)
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
            let form = formRequest([("serverError", "true")])
            let asForm = try await client.execute(uri: "/_control/faults", method: .post, headers: form.headers, body: form.body)
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
