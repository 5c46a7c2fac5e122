import HTTPTypes
import HummingbirdTesting
import Testing
import ThingiverseSimulator

@Suite struct AuthorizeDecisionTests {
    @Test func allowInTheCodeFlowRedirectsWithACodeAndTheState() async throws {
        try await withRouter(Fixture.simulator()) { client in
            let response = try await OAuthSteps.decide(client, state: "s p&c=1")
            let redirect = try response.foundRedirect(to: Fixture.app.redirectURI)
            #expect(redirect.query["state"] == "s p&c=1")
            let code = try #require(redirect.query["code"])
            #expect(code.count == 32)
            #expect(redirect.fragment.isEmpty)
        }
    }

    @Test func allowInTheTokenFlowRedirectsWithTheTokenInTheFragment() async throws {
        let simulator = Fixture.simulator()
        try await withRouter(simulator) { client in
            let response = try await OAuthSteps.decide(client, responseType: "token", state: "abc")
            #expect(response.status == .found)
            let location = try #require(response.headers[.location])
            let redirect = Redirect(location)
            #expect(redirect.base == Fixture.app.redirectURI)
            #expect(redirect.query.isEmpty)
            let token = try #require(redirect.fragment["access_token"])
            #expect(token.count == 40 && token.allSatisfy(\.isHexDigit))
            #expect(redirect.fragment["token_type"] == "bearer")
            #expect(redirect.fragment["state"] == "abc")
            #expect(location.hasSuffix("#access_token=\(token)&token_type=bearer&state=abc"))
            // The token flow needs no code exchange.
            #expect(simulator.requestCount(path: "/login/oauth/access_token") == 0)
        }
    }

    @Test func denyRedirectsWithAccessDeniedAndTheState() async throws {
        try await withRouter(Fixture.simulator()) { client in
            let response = try await OAuthSteps.decide(client, decision: "deny", state: "xyz")
            #expect(response.status == .found)
            #expect(response.headers[.location] == "https://app.example/auth/callback?error=access_denied&state=xyz")
        }
    }

    @Test func dropStateFaultOmitsTheStateFromBothOutcomes() async throws {
        let simulator = Fixture.simulator()
        simulator.setFaults { $0.dropState = true }
        try await withRouter(simulator) { client in
            let allowed = Redirect(try #require(try await OAuthSteps.decide(client, state: "keep-me").headers[.location]))
            #expect(allowed.query["code"] != nil)
            #expect(allowed.query["state"] == nil)
            let denied = try await OAuthSteps.decide(client, decision: "deny", state: "keep-me")
            #expect(denied.headers[.location] == "https://app.example/auth/callback?error=access_denied")
        }
    }

    @Test func tamperedRedirectURIInTheFormIsRejected() async throws {
        try await withRouter(Fixture.simulator()) { client in
            let response = try await OAuthSteps.decide(client, redirectURI: "https://evil.example/steal")
            response.expectRefusedWithoutRedirect()
        }
    }

    @Test func unknownUserIsRejected() async throws {
        try await withRouter(Fixture.simulator()) { client in
            let response = try await OAuthSteps.decide(client, user: "mallory")
            response.expectRefusedWithoutRedirect()
        }
    }
}
