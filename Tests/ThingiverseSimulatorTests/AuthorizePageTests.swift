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

    @Test(arguments: [
        ("%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E", "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"),
        // A quote and a combining mark after it are one Swift Character, but a browser ends the
        // attribute at the quote: it is escaped all the same.
        ("%22%CC%81%20autofocus%20onfocus%3Dalert(1)%20x%3D%22%CC%81", "&quot;\u{0301} autofocus onfocus=alert(1) x=&quot;\u{0301}"),
    ])
    func stateIsCarriedAsAnEscapedHiddenField(state: String, escaped: String) async throws {
        try await withRouter(Fixture.simulator()) { client in
            let response = try await client.execute(uri: "/login/oauth/authorize?client_id=client-one&state=" + state, method: .get)
            #expect(response.status == .ok)
            #expect(!response.text.contains("<script>"))
            #expect(response.text.contains("<input type=\"hidden\" name=\"state\" value=\"\(escaped)\">"))
        }
    }
}
