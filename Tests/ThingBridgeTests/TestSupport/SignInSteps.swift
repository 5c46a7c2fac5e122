import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// ThingBridge's answer to a browser opening a login URL: the redirect to the provider's
/// authorization page and the cookies the browser holds afterwards (the pre-login cookie).
struct OpenedLogin: Sendable {
    let response: TestResponse
    var jar: CookieJar
    /// The provider's authorization page the browser is sent to.
    let authorizeURL: String

    /// The `state` ThingBridge asks the provider to echo.
    var state: String? { SignInHarness.state(in: authorizeURL) }
}

extension TestClientProtocol {
    /// Opens ThingBridge's `uri` as a browser holding `jar` would, e.g. `/auth/login?flow=token`.
    func openLogin(
        _ uri: String = "/auth/login", jar: CookieJar = CookieJar(), sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> OpenedLogin {
        var jar = jar
        let response = try await execute(uri: uri, method: .get, headers: jar.header)
        jar.take(response)
        let authorizeURL = try #require(response.headers[.location], sourceLocation: sourceLocation)
        return OpenedLogin(response: response, jar: jar, authorizeURL: authorizeURL)
    }

    /// Follows the provider's redirect back to ThingBridge's callback with `jar`; expects the
    /// sign-in to succeed and returns the cookies afterwards.
    func finishSignIn(
        at callbackURL: String, jar: CookieJar, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> CookieJar {
        var jar = jar
        let callback = try await execute(uri: SignInHarness.pathAndQuery(callbackURL), method: .get, headers: jar.header)
        #expect(callback.status == .found, "sign-in failed: \(callback.text)", sourceLocation: sourceLocation)
        jar.take(callback)
        return jar
    }

    /// A whole code-flow sign-in: opens `loginURI` with `jar` (to link to its session, if any),
    /// answers the provider's page with `authorize` and finishes at ThingBridge's callback.
    func signIn(
        at loginURI: String, jar: CookieJar = CookieJar(),
        authorize: (_ authorizeURL: String) async throws -> String
    ) async throws -> CookieJar {
        let login = try await openLogin(loginURI, jar: jar)
        return try await finishSignIn(at: try await authorize(login.authorizeURL), jar: login.jar)
    }
}

/// `/auth/me` as the tests read it.
struct MeBody: Decodable {
    struct Account: Decodable {
        let id: String
        let name: String
    }
    let id: String
    let name: String
    let provider: String
    let accounts: [String: Account]
}

extension TestClientProtocol {
    /// `/auth/me` for the browser holding `jar`, decoded (fails the test unless it answers 200).
    func me(_ jar: CookieJar) async throws -> MeBody {
        try JSONDecoder().decode(MeBody.self, from: Data(try await getOK("/auth/me", headers: jar.header).body.readableBytesView))
    }
}
