import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import ThingiverseSimulator

@Suite struct TokenExchangeTests {
    @Test func codeExchangeRepliesFormEncodedExactlyLikeThingiverse() async throws {
        try await withRouter(Fixture.simulator()) { client in
            let code = try await OAuthSteps.code(client)
            let response = try await OAuthSteps.exchange(client, code: code, redirectURI: Fixture.app.redirectURI)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/x-www-form-urlencoded")
            let body = response.text
            #expect(body.wholeMatch(of: /access_token=[0-9a-f]{40}&token_type=bearer/) != nil, "body was \(body)")
        }
    }

    @Test func wrongSecretGets401() async throws {
        try await withRouter(Fixture.simulator()) { client in
            let code = try await OAuthSteps.code(client)
            let response = try await OAuthSteps.exchange(client, code: code, secret: "guess")
            #expect(response.status == .unauthorized)
            #expect(formFields(response.text)["error"] == "invalid_client")
            // The failed attempt did not use the code up.
            #expect(try await OAuthSteps.exchange(client, code: code).status == .ok)
        }
    }

    @Test func unknownCodeIsRejected() async throws {
        try await withRouter(Fixture.simulator()) { client in
            let response = try await OAuthSteps.exchange(client, code: "0123456789abcdef0123456789abcdef")
            #expect(response.status == .badRequest)
            #expect(formFields(response.text)["error"] == "invalid_grant")
        }
    }

    @Test func codeIssuedToAnotherAppIsRejected() async throws {
        try await withRouter(Fixture.simulator()) { client in
            let code = try await OAuthSteps.code(client, app: Fixture.otherApp)
            let response = try await OAuthSteps.exchange(client, code: code, app: Fixture.app)
            #expect(response.status == .badRequest)
        }
    }
}
