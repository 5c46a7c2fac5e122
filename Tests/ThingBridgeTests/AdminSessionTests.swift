import HTTPTypes
import HummingbirdTesting
import Testing

@testable import ThingBridge

/// The admin API for signed-in people: admin users by name or id, others 403, nobody 401.
@Suite struct AdminSessionTests {
    @Test func adminUsersByNameOrIDGetTheAdminAPIOthersAre403() async throws {
        try await SignInHarness.withServer(["THINGBRIDGE_ADMIN_USERS": "bob_builds, 244"]) { harness, client in
            let anonymous = try await client.execute(uri: "/admin/api/orders", method: .get)
            #expect(anonymous.status == .unauthorized)
            let alice = try await harness.signIn(client, user: "alice_prints")  // id 244
            #expect(try await client.execute(uri: "/admin/api/orders", method: .get, headers: alice.header).status == .ok)
            let bob = try await harness.signIn(client, user: "bob_builds")
            #expect(try await client.execute(uri: "/admin/api/events", method: .get, headers: bob.header).status == .ok)
            let maker = try await harness.signIn(client, user: "makerbot")
            let refused = try await client.execute(uri: "/admin/api/orders", method: .get, headers: maker.header)
            #expect(refused.status == .forbidden)
        }
    }

    @Test func withARealClientAndNoAdminUsersNobodySignedInIsAnAdmin() async throws {
        try await SignInHarness.withServer { harness, client in
            let alice = try await harness.signIn(client, user: "alice_prints")
            #expect(try await client.execute(uri: "/admin/api/orders", method: .get, headers: alice.header).status == .forbidden)
        }
    }
}
