import HTTPTypes
import HummingbirdTesting
import Testing
import ThingiverseSimulator

@Suite struct AuthorizePageTests {
    @Test func unknownClientGetsAnHTMLErrorPage() async throws {
        try await withRouter(Fixture.simulator()) { client in
            let response = try await client.execute(uri: "/login/oauth/authorize?client_id=nobody", method: .get)
            #expect(response.status == .badRequest)
            #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(response.text.contains("No app is registered with the client_id &quot;nobody&quot;"))
        }
    }

    @Test func missingClientIDIsRejected() async throws {
        try await withRouter(Fixture.simulator()) { client in
            let response = try await client.execute(uri: "/login/oauth/authorize", method: .get)
            #expect(response.status == .badRequest)
            #expect(response.text.contains("no client_id"))
        }
    }

    @Test func redirectURIOtherThanTheRegisteredOneIsRejected() async throws {
        try await withRouter(Fixture.simulator()) { client in
            let response = try await client.execute(
                uri: "/login/oauth/authorize?client_id=client-one&redirect_uri=https%3A%2F%2Fevil.example%2Fcb",
                method: .get)
            #expect(response.status == .badRequest)
            #expect(response.text.contains("https://evil.example/cb"))
            #expect(!response.text.contains("<form"))
        }
    }

    @Test func unknownResponseTypeIsRejected() async throws {
        try await withRouter(Fixture.simulator()) { client in
            let response = try await client.execute(
                uri: "/login/oauth/authorize?client_id=client-one&response_type=id_token", method: .get)
            #expect(response.status == .badRequest)
            #expect(response.text.contains("id_token"))
        }
    }

    @Test func pageAsksToAuthorizeTheAppAndOffersEverySeededUser() async throws {
        let simulator = Fixture.simulator()
        try await withRouter(simulator) { client in
            let response = try await client.execute(
                uri: "/login/oauth/authorize?client_id=client-one&response_type=token", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            let page = response.text
            #expect(page.contains("Authorize Print &lt;Shop&gt; &amp; &quot;Co&quot;?"))
            #expect(page.contains("<form method=\"post\" action=\"http://sim.test/login/oauth/authorize\">"))
            #expect(page.contains("<label for=\"user\">"))
            for user in simulator.seededUsers {
                #expect(page.contains("<option value=\"\(user)\">"))
            }
            #expect(page.contains("<input type=\"hidden\" name=\"response_type\" value=\"token\">"))
            // Without a redirect_uri the registered one is carried forward.
            #expect(
                page.contains(
                    "<input type=\"hidden\" name=\"redirect_uri\" value=\"https://app.example/auth/callback\">"))
            #expect(page.contains("value=\"allow\""))
            #expect(page.contains("value=\"deny\""))
        }
    }

    @Test func stateIsCarriedAsAnEscapedHiddenField() async throws {
        try await withRouter(Fixture.simulator()) { client in
            let response = try await client.execute(
                uri: "/login/oauth/authorize?client_id=client-one&state=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E",
                method: .get)
            #expect(response.status == .ok)
            #expect(!response.text.contains("<script>"))
            #expect(
                response.text.contains(
                    "<input type=\"hidden\" name=\"state\" value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\">"))
        }
    }
}

@Suite struct AuthorizeDecisionTests {
    @Test func allowInTheCodeFlowRedirectsWithACodeAndTheState() async throws {
        try await withRouter(Fixture.simulator()) { client in
            let response = try await OAuthSteps.decide(client, state: "s p&c=1")
            #expect(response.status == .found)
            let redirect = Redirect(try #require(response.headers[.location]))
            #expect(redirect.base == Fixture.app.redirectURI)
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
        var faults = SimulatorFaults()
        faults.dropState = true
        simulator.setFaults(faults)
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
            #expect(response.status == .badRequest)
            #expect(response.headers[.location] == nil)
        }
    }

    @Test func unknownUserIsRejected() async throws {
        try await withRouter(Fixture.simulator()) { client in
            let response = try await OAuthSteps.decide(client, user: "mallory")
            #expect(response.status == .badRequest)
            #expect(response.headers[.location] == nil)
        }
    }
}
