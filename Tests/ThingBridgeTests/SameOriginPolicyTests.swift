import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import ThingBridge

/// The one same-origin rule that guards every cookie-carrying change.
@Suite struct SameOriginPolicyTests {
    static let policy = SameOriginPolicy(publicURL: "https://app.example.com", alsoTrusted: ["https://partner.example.com"])

    static func request(origin: String?, site: String?) -> Request {
        var fields = HTTPFields()
        if let origin { fields[.origin] = origin }
        if let site { fields[.secFetchSite] = site }
        return Request(
            head: HTTPRequest(method: .post, scheme: "https", authority: "app.example.com", path: "/auth/x/unlink", headerFields: fields),
            body: .init(buffer: ByteBuffer()))
    }

    @Test(
        arguments: [
            ("https://app.example.com", nil, true),
            ("HTTPS://APP.EXAMPLE.COM", nil, true),
            ("https://partner.example.com", nil, true),
            ("https://evil.example", "same-origin", false),  // Origin decides when present
            ("null", nil, false),
            ("https://app.example.com.evil.example", nil, false),
            (nil, "same-origin", true),
            (nil, "none", true),
            (nil, "cross-site", false),
            (nil, "same-site", false),
            (nil, nil, true),  // not a browser that could carry someone's cookie
        ] as [(String?, String?, Bool)])
    func decidesByOriginThenFetchSite(origin: String?, site: String?, allowed: Bool) {
        #expect(Self.policy.allows(Self.request(origin: origin, site: site)) == allowed)
    }

    @Test func unlinkFromAnotherSiteIsRefusedBeforeTheSessionChanges() async throws {
        try await SignInHarness.withServer { harness, client in
            let jar = try await harness.signInWithFlattr(client, jar: try await harness.signIn(client))
            let refused = try await client.execute(
                uri: "/auth/flattr/unlink", method: .post, headers: jar.header + [.origin: "https://evil.example"])
            #expect(refused.status == .forbidden)
            #expect(try refused.errorBody().error == "cross_origin")
            #expect(try refused.errorBody().message.contains("own pages"))
            let me = try await client.execute(uri: "/auth/me", method: .get, headers: jar.header)
            #expect(me.text.contains("\"flattr\""))
        }
    }
}
