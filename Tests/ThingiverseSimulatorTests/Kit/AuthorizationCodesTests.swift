import Testing

@testable import ThingiverseSimulator

/// The kit's authorization codes: single use, for one app, until they expire.
@Suite struct AuthorizationCodesTests {
    @Test func aCodeIsExchangedOnceByItsOwnApp() throws {
        var codes = AuthorizationCodes<String>()
        let code = codes.issue(clientID: "app", redirectURI: "https://app.example/cb", grant: "alice", lifetime: .seconds(60))
        #expect(code.count == 32)
        guard case .failure(.otherApp) = codes.check(code, clientID: "other") else {
            Issue.record("Another app's exchange was not refused.")
            return
        }
        let found = try codes.check(code, clientID: "app").get()
        #expect(found.grant == "alice" && found.redirectURI == "https://app.example/cb")
        codes.redeem(code)
        guard case .failure(.unknown) = codes.check(code, clientID: "app") else {
            Issue.record("A redeemed code was accepted again.")
            return
        }
    }

    @Test func anExpiredCodeIsRefusedAndForgotten() async throws {
        var codes = AuthorizationCodes<Int>()
        let code = codes.issue(clientID: "app", redirectURI: "cb", grant: 244, lifetime: .milliseconds(1))
        try await Task.sleep(for: .milliseconds(20))
        guard case .failure(.expired) = codes.check(code, clientID: "app") else {
            Issue.record("An expired code was not refused as expired.")
            return
        }
        guard case .failure(.unknown) = codes.check(code, clientID: "app") else {
            Issue.record("An expired code was kept.")
            return
        }
    }
}
