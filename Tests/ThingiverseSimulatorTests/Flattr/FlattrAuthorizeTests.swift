import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import ThingiverseSimulator

@Suite struct FlattrAuthorizeTests {
    static let query =
        "/oauth/authorize?response_type=code&client_id=flattr-client-one"
        + "&redirect_uri=https%3A%2F%2Fapp.example%2Fauth%2Fflattr%2Fcallback&scope=flattr%20thing&state=s%3C1%3E"

    @Test func pageAsksToAuthorizeTheAppAndListsTheSeededUsers() async throws {
        let simulator = FlattrFixture.simulator()
        try await withRouter(simulator) { client in
            let response = try await client.getOK(Self.query)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            #expect(response.headers[.cacheControl] == "no-store")
            #expect(response.header("X-Frame-Options") == "DENY")
            let page = response.text
            #expect(page.contains("Authorize Tip &lt;Jar&gt; &amp; &quot;Co&quot; on Flattr?"))
            #expect(!page.contains("<Jar>"))
            #expect(page.contains("<select id=\"user\" name=\"user\">"))
            for user in simulator.seededUsers {
                #expect(page.contains("<option value=\"\(user)\">"), "option for \(user)")
            }
            #expect(page.contains("<button type=\"submit\" name=\"decision\" value=\"allow\">Allow</button>"))
            #expect(page.contains("<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>"))
            #expect(page.contains("<form method=\"post\" action=\"http://flattr.test/oauth/authorize\">"))
            #expect(page.contains("<input type=\"hidden\" name=\"state\" value=\"s&lt;1&gt;\">"))
            #expect(page.contains("<input type=\"hidden\" name=\"scope\" value=\"flattr thing\">"))
            #expect(page.contains("(<code>thing</code>)") && page.contains("(<code>flattr</code>)"))
            #expect(!page.contains("(<code>email</code>)"))
            #expect(page.contains("<style>"))
        }
    }

    @Test func seededUsersAreTheFourFlattrAccounts() {
        #expect(FlattrFixture.simulator().seededUsers == ["flattr", "smgt", "alice_flattrs", "bob_supports"])
    }

    @Test(arguments: [
        ("/oauth/authorize?response_type=code&client_id=nobody", "No app is registered"),
        ("/oauth/authorize?response_type=code", "no client_id"),
        (
            "/oauth/authorize?response_type=code&client_id=flattr-client-one&redirect_uri=https%3A%2F%2Fevil.example%2F",
            "is not the redirect URI registered"
        ),
        (
            "/oauth/authorize?response_type=code&client_id=flattr-client-one"
                + "&redirect_uri=https%3A%2F%2Fapp.example%2Fauth%2Fflattr%2Fcallback%2F",
            "is not the redirect URI registered"
        ),
        ("/oauth/authorize?response_type=token&client_id=flattr-client-one", "only knows"),
        ("/oauth/authorize?client_id=flattr-client-one", "no response_type"),
        ("/oauth/authorize?response_type=code&client_id=flattr-client-one&scope=flattr,thing", "scope"),
    ])
    func badRequestsGetA400Page(uri: String, message: String) async throws {
        try await withRouter(FlattrFixture.simulator()) { client in
            let response = try await client.execute(uri: uri, method: .get)
            #expect(response.status == .badRequest)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            #expect(response.text.contains(message), "page was \(response.text)")
        }
    }

    @Test func allowRedirectsWithACodeAndTheState() async throws {
        try await withRouter(FlattrFixture.simulator()) { client in
            let response = try await FlattrSteps.decide(client, state: "a b&c")
            let redirect = try response.foundRedirect(to: FlattrFixture.app.redirectURI)
            #expect(redirect.query["state"] == "a b&c")
            #expect(redirect.query["code"]?.wholeMatch(of: /[0-9a-f]{32}/) != nil)
        }
    }

    @Test func denyRedirectsWithAccessDeniedAndTheState() async throws {
        try await withRouter(FlattrFixture.simulator()) { client in
            let response = try await FlattrSteps.decide(client, decision: "deny")
            let redirect = try response.foundRedirect(to: FlattrFixture.app.redirectURI)
            #expect(redirect.query == ["error": "access_denied", "state": "state-123"])
        }
    }

    @Test func decisionRevalidatesTheHiddenFields() async throws {
        try await withRouter(FlattrFixture.simulator()) { client in
            let response = try await client.postForm(
                "/oauth/authorize",
                [
                    ("client_id", "flattr-client-one"), ("response_type", "code"), ("redirect_uri", "https://evil.example/"),
                    ("user", "alice_flattrs"), ("decision", "allow"),
                ])
            response.expectRefusedWithoutRedirect()
        }
    }

    @Test func decisionNeedsASeededUserAndAChoice() async throws {
        try await withRouter(FlattrFixture.simulator()) { client in
            let unknownUser = try await FlattrSteps.decide(client, user: "mallory")
            #expect(unknownUser.status == .badRequest)
            let noChoice = try await FlattrSteps.decide(client, decision: "maybe")
            #expect(noChoice.status == .badRequest)
        }
    }
}
