import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import ThingBridge

/// Several instances share one database and the same keys: a session works on each, and a
/// logout on one is honoured by all.
@Suite struct SessionSharingTests {
    @Test(arguments: TestDatabaseKind.available)
    func aLogoutOnOneInstanceIsRefusedByTheOther(kind: TestDatabaseKind) async throws {
        let location = try await kind.makeLocation()
        try await SignInHarness.run { harness in
            let configuration = try await harness.configuration(["THINGBRIDGE_DATABASE_URL": location.urlForEnvironment])
            try await TestServer.run(configuration) { _, first in
                try await TestServer.run(configuration) { _, second in
                    let jar = try await harness.signIn(first)
                    #expect(try await second.execute(uri: "/auth/me", method: .get, headers: jar.header).status == .ok)
                    let logout = try await second.execute(uri: "/auth/logout", method: .post, headers: jar.header)
                    #expect(logout.status == .noContent)
                    #expect(try await first.execute(uri: "/auth/me", method: .get, headers: jar.header).status == .unauthorized)
                    #expect(try await second.execute(uri: "/auth/me", method: .get, headers: jar.header).status == .unauthorized)
                }
            }
        }
    }
}
