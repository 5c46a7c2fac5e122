import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import ThingiverseSimulator

/// Test apps and configurations for the Flattr simulator; every test builds its own simulator.
enum FlattrFixture {
    static let webBaseURL = "http://flattr.test"
    static let apiBaseURL = "http://flattr.test/api"

    /// The app under test. Its name has HTML-special characters so escaping is exercised.
    static let app = FlattrSimulatorApp(
        name: "Tip <Jar> & \"Co\"", clientID: "flattr-client-one", clientSecret: "flattr-secret-one-7f3a9c",
        redirectURI: "https://app.example/auth/flattr/callback")
    static let otherApp = FlattrSimulatorApp(
        name: "Other Flattr App", clientID: "flattr-client-two", clientSecret: "flattr-secret-two-41d0e2",
        redirectURI: "https://other.example/flattr/callback")

    /// A configuration with both apps; `adjust` can shrink limits for a test.
    static func configuration(
        _ adjust: (inout FlattrSimulatorConfiguration) -> Void = { _ in }
    ) -> FlattrSimulatorConfiguration {
        var configuration = FlattrSimulatorConfiguration(
            webBaseURL: webBaseURL, apiBaseURL: apiBaseURL, apps: [app, otherApp])
        adjust(&configuration)
        return configuration
    }

    static func simulator(_ adjust: (inout FlattrSimulatorConfiguration) -> Void = { _ in }) -> FlattrSimulator {
        FlattrSimulator(configuration: configuration(adjust))
    }
}

/// `Authorization: Basic base64(id:secret)`
func basicAuthorization(_ id: String, _ secret: String) -> String {
    "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString()
}

/// A JSON body with the matching content type.
func jsonRequest(_ text: String) -> (headers: HTTPFields, body: ByteBuffer) {
    ([.contentType: "application/json"], ByteBuffer(string: text))
}

/// The browser's and the app backend's steps of Flattr's code flow.
enum FlattrSteps {
    /// Presses Allow or Deny on the authorization page; returns the redirect response.
    static func decide(
        _ client: some TestClientProtocol,
        app: FlattrSimulatorApp = FlattrFixture.app,
        user: String = "alice_flattrs",
        decision: String = "allow",
        scope: String? = "flattr thing",
        state: String? = "state-123",
        includeRedirectURI: Bool = true
    ) async throws -> TestResponse {
        var fields: [(String, String)] = [
            ("client_id", app.clientID), ("response_type", "code"), ("user", user), ("decision", decision),
        ]
        if includeRedirectURI { fields.append(("redirect_uri", app.redirectURI)) }
        if let scope { fields.append(("scope", scope)) }
        if let state { fields.append(("state", state)) }
        return try await client.postForm("/oauth/authorize", fields)
    }

    /// Allows and returns the code from the redirect.
    static func code(
        _ client: some TestClientProtocol, app: FlattrSimulatorApp = FlattrFixture.app,
        user: String = "alice_flattrs", scope: String? = "flattr thing", includeRedirectURI: Bool = true
    ) async throws -> String {
        let response = try await decide(
            client, app: app, user: user, scope: scope, includeRedirectURI: includeRedirectURI)
        return try #require(try response.foundRedirect().query["code"])
    }

    /// Posts a form to `/oauth/token`. `basic` defaults to the app's credentials (`.some(nil)`
    /// sends none); `redirectURI` defaults to the app's (`.some(nil)` leaves it out).
    static func exchange(
        _ client: some TestClientProtocol, code: String, app: FlattrSimulatorApp = FlattrFixture.app,
        basic: (String, String)?? = .none, redirectURI: String?? = .none,
        grantType: String = "authorization_code", extraFields: [(String, String)] = []
    ) async throws -> TestResponse {
        var fields: [(String, String)] = [("grant_type", grantType), ("code", code)]
        if let redirectURI = redirectURI ?? app.redirectURI { fields.append(("redirect_uri", redirectURI)) }
        fields += extraFields
        var headers = HTTPFields()
        if let credentials = basic ?? (app.clientID, app.clientSecret) {
            headers[.authorization] = basicAuthorization(credentials.0, credentials.1)
        }
        return try await client.postForm("/oauth/token", fields, headers: headers)
    }

    /// The whole code flow: allow, exchange; returns the access token.
    static func token(
        _ client: some TestClientProtocol, app: FlattrSimulatorApp = FlattrFixture.app,
        user: String = "alice_flattrs", scope: String? = "flattr thing"
    ) async throws -> String {
        let code = try await code(client, app: app, user: user, scope: scope)
        let response = try await exchange(client, code: code, app: app)
        #expect(response.status == .ok)
        return try #require(try response.jsonObject()["access_token"] as? String)
    }
}

/// Checks that `response` is a Flattr API error: `status` and a JSON body with `error`, Flattr's
/// documentation link in `error_uri` and, when given, exactly `description`. Returns the body.
@discardableResult
func expectFlattrAPIError(
    _ response: TestResponse, _ status: HTTPResponse.Status, _ error: String, description: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> [String: Any] {
    #expect(response.status == status, sourceLocation: sourceLocation)
    let body = try response.jsonObject(sourceLocation: sourceLocation)
    #expect(body["error"] as? String == error, sourceLocation: sourceLocation)
    #expect(body["error_uri"] as? String == "http://developers.flattr.net/api", sourceLocation: sourceLocation)
    if let description {
        #expect(body["error_description"] as? String == description, sourceLocation: sourceLocation)
    }
    return body
}
