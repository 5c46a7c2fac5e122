import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import ThingiverseSimulator

@Suite struct FlattrTokenExchangeTests {
    @Test func codeExchangeWithBasicAuthRepliesJSON() async throws {
        let simulator = FlattrFixture.simulator()
        try await withRouter(simulator) { client in
            let code = try await FlattrSteps.code(client)
            let response = try await FlattrSteps.exchange(client, code: code)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json;charset=utf-8")
            #expect(response.headers[.cacheControl] == "no-store")
            let body = try response.jsonObject()
            #expect(Set(body.keys) == ["access_token", "token_type", "scope"])
            #expect((body["access_token"] as? String)?.wholeMatch(of: /[0-9a-f]{48}/) != nil)
            #expect(body["token_type"] as? String == "bearer")
            #expect(body["scope"] as? String == "flattr thing")
        }
        #expect(
            simulator.tokenRequests() == [
                FlattrTokenRequestRecord(
                    basicClientID: "flattr-client-one", bodyFieldNames: ["code", "grant_type", "redirect_uri"],
                    bodyContainsSecret: false, succeeded: true)
            ])
    }

    @Test func jsonBodyIsAcceptedToo() async throws {
        let simulator = FlattrFixture.simulator()
        try await withRouter(simulator) { client in
            let code = try await FlattrSteps.code(client)
            var request = jsonRequest(
                #"{"grant_type":"authorization_code","code":"\#(code)","redirect_uri":"https://app.example/auth/flattr/callback"}"#
            )
            request.headers[.authorization] = basicAuthorization("flattr-client-one", "flattr-secret-one-7f3a9c")
            let response = try await client.execute(
                uri: "/oauth/token", method: .post, headers: request.headers, body: request.body)
            #expect(response.status == .ok)
            #expect(try response.jsonObject()["token_type"] as? String == "bearer")
        }
        #expect(simulator.tokenRequests().first?.bodyFieldNames == ["code", "grant_type", "redirect_uri"])
    }

    @Test func missingBasicAuthGets401InvalidClient() async throws {
        let simulator = FlattrFixture.simulator()
        try await withRouter(simulator) { client in
            let code = try await FlattrSteps.code(client)
            let response = try await FlattrSteps.exchange(client, code: code, basic: .some(nil))
            #expect(response.status == .unauthorized)
            #expect(response.headers[.contentType] == "application/json;charset=utf-8")
            #expect(response.headers[.wwwAuthenticate] == "Basic realm=\"flattr\"")
            let body = try response.jsonObject()
            #expect(body["error"] as? String == "invalid_client")
            #expect((body["error_description"] as? String)?.contains("HTTP Basic") == true)
        }
        #expect(simulator.tokenRequests().map(\.basicClientID) == [nil])
        #expect(simulator.tokenRequests().map(\.succeeded) == [false])
    }

    @Test func secretOnlyInTheBodyGets401() async throws {
        let simulator = FlattrFixture.simulator()
        try await withRouter(simulator) { client in
            let code = try await FlattrSteps.code(client)
            let response = try await FlattrSteps.exchange(
                client, code: code, basic: .some(nil),
                extraFields: [("client_id", "flattr-client-one"), ("client_secret", "flattr-secret-one-7f3a9c")])
            #expect(response.status == .unauthorized)
            #expect(try response.jsonObject()["error"] as? String == "invalid_client")
        }
        let record = try #require(simulator.tokenRequests().first)
        #expect(record.bodyContainsSecret)
        #expect(record.bodyFieldNames == ["client_id", "client_secret", "code", "grant_type", "redirect_uri"])
    }

    @Test func wrongBasicSecretGets401AndLeavesTheCodeUsable() async throws {
        try await withRouter(FlattrFixture.simulator()) { client in
            let code = try await FlattrSteps.code(client)
            let wrong = try await FlattrSteps.exchange(client, code: code, basic: ("flattr-client-one", "guess"))
            #expect(wrong.status == .unauthorized)
            #expect(try wrong.jsonObject()["error"] as? String == "invalid_client")
            let unknown = try await FlattrSteps.exchange(client, code: code, basic: ("nobody", "x"))
            #expect(unknown.status == .unauthorized)
            #expect(try await FlattrSteps.exchange(client, code: code).status == .ok)
        }
    }

    @Test func malformedBasicHeaderGets401() async throws {
        try await withRouter(FlattrFixture.simulator()) { client in
            let code = try await FlattrSteps.code(client)
            let response = try await client.postForm(
                "/oauth/token", [("grant_type", "authorization_code"), ("code", code)],
                headers: [.authorization: "Basic not base64!"])
            #expect(response.status == .unauthorized)
        }
    }

    @Test func secretInTheBodyIsRefusedEvenWithBasicAuth() async throws {
        let simulator = FlattrFixture.simulator()
        try await withRouter(simulator) { client in
            let code = try await FlattrSteps.code(client)
            let response = try await FlattrSteps.exchange(
                client, code: code, extraFields: [("client_secret", "flattr-secret-one-7f3a9c")])
            #expect(response.status == .badRequest)
            let body = try response.jsonObject()
            #expect(body["error"] as? String == "invalid_request")
            #expect((body["error_description"] as? String)?.contains("Basic") == true)
            // The secret under another name is caught too.
            let hidden = try await FlattrSteps.exchange(
                client, code: code, extraFields: [("password", "flattr-secret-one-7f3a9c")])
            #expect(hidden.status == .badRequest)
            #expect(try await FlattrSteps.exchange(client, code: code).status == .ok)
        }
        #expect(simulator.tokenRequests().map(\.bodyContainsSecret) == [true, true, false])
        #expect(simulator.tokenRequests().map(\.succeeded) == [false, false, true])
    }

    /// A different redirect URI is refused as for every provider (`CodeFlowTests`); one left out
    /// when the authorize request had one is a malformed request.
    @Test func redirectURIMustBeSentWhenTheAuthorizeRequestSentIt() async throws {
        try await withRouter(FlattrFixture.simulator()) { client in
            let code = try await FlattrSteps.code(client)
            let missing = try await FlattrSteps.exchange(client, code: code, redirectURI: .some(nil))
            #expect(missing.status == .badRequest)
            #expect(try missing.jsonObject()["error"] as? String == "invalid_request")
        }
    }

    @Test func redirectURIMayBeLeftOutWhenTheAuthorizeRequestLeftItOut() async throws {
        try await withRouter(FlattrFixture.simulator()) { client in
            let code = try await FlattrSteps.code(client, includeRedirectURI: false)
            #expect(try await FlattrSteps.exchange(client, code: code, redirectURI: .some(nil)).status == .ok)
        }
    }

    @Test func grantTypeMustBeAuthorizationCode() async throws {
        try await withRouter(FlattrFixture.simulator()) { client in
            let code = try await FlattrSteps.code(client)
            let response = try await FlattrSteps.exchange(client, code: code, grantType: "client_credentials")
            #expect(response.status == .badRequest)
            #expect(try response.jsonObject()["error"] as? String == "unsupported_grant_type")
        }
    }

    @Test func codeIssuedToAnotherAppIsRejected() async throws {
        try await withRouter(FlattrFixture.simulator()) { client in
            let code = try await FlattrSteps.code(client, app: FlattrFixture.otherApp)
            let response = try await FlattrSteps.exchange(
                client, code: code, app: FlattrFixture.app, redirectURI: FlattrFixture.otherApp.redirectURI)
            #expect(response.status == .badRequest)
            #expect(try response.jsonObject()["error"] as? String == "invalid_grant")
        }
    }

    @Test func tokenCarriesTheScopesAskedFor() async throws {
        try await withRouter(FlattrFixture.simulator()) { client in
            let code = try await FlattrSteps.code(client, scope: "thing email")
            let response = try await FlattrSteps.exchange(client, code: code)
            #expect(try response.jsonObject()["scope"] as? String == "thing email")
        }
    }
}
