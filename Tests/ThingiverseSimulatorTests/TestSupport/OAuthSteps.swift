import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import ThingiverseSimulator

/// The browser's and the app backend's steps of the OAuth flows, for tests that need a code
/// or a token on the way to what they check.
enum OAuthSteps {
    /// Presses Allow or Deny on the authorization page; returns the redirect response.
    static func decide(
        _ client: some TestClientProtocol,
        app: SimulatorApp = Fixture.app,
        user: String = "alice_prints",
        decision: String = "allow",
        responseType: String = "code",
        state: String? = "state-123",
        redirectURI: String? = nil
    ) async throws -> TestResponse {
        var fields: [(String, String)] = [
            ("client_id", app.clientID), ("redirect_uri", redirectURI ?? app.redirectURI),
            ("response_type", responseType), ("user", user), ("decision", decision),
        ]
        if let state { fields.append(("state", state)) }
        return try await client.postForm("/login/oauth/authorize", fields)
    }

    /// Allows in the code flow and returns the code from the redirect.
    static func code(
        _ client: some TestClientProtocol, app: SimulatorApp = Fixture.app, user: String = "alice_prints"
    ) async throws -> String {
        let response = try await decide(client, app: app, user: user)
        return try #require(try response.foundRedirect().query["code"])
    }

    /// Posts to `/login/oauth/access_token`.
    static func exchange(
        _ client: some TestClientProtocol, code: String, app: SimulatorApp = Fixture.app,
        secret: String? = nil, redirectURI: String? = nil
    ) async throws -> TestResponse {
        var fields: [(String, String)] = [
            ("client_id", app.clientID), ("client_secret", secret ?? app.clientSecret), ("code", code),
        ]
        if let redirectURI { fields.append(("redirect_uri", redirectURI)) }
        return try await client.postForm("/login/oauth/access_token", fields)
    }

    /// The whole code flow: allow, exchange; returns the access token.
    static func token(
        _ client: some TestClientProtocol, app: SimulatorApp = Fixture.app, user: String = "alice_prints"
    ) async throws -> String {
        let code = try await code(client, app: app, user: user)
        let response = try await exchange(client, code: code, app: app)
        #expect(response.status == .ok)
        return try #require(formFields(response.text)["access_token"])
    }

    /// Posts a token to `/login/oauth/tokeninfo` as a form.
    static func tokenInfo(_ client: some TestClientProtocol, token: String) async throws -> TestResponse {
        try await client.postForm("/login/oauth/tokeninfo", [("access_token", token)])
    }
}
