import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import SQLKit
import Testing

@testable import ThingBridge

/// Several instances share one database and the same keys: a session works on each, a logout on
/// one is honoured by all, and checking a valid cookie never reads the database.
@Suite struct SessionSharingTests {
    @Test(arguments: TestDatabaseKind.available)
    func aLogoutOnOneInstanceIsRefusedByTheOther(kind: TestDatabaseKind) async throws {
        // SQLite has no notifications: the other instance learns at its next catch-up.
        try await Self.withSharedDatabase(kind, catchUp: "1") { harness, configuration in
            try await TestServer.run(configuration) { _, first in
                try await TestServer.run(configuration) { _, second in
                    let jar = try await harness.signIn(first)
                    #expect(try await second.execute(uri: "/auth/me", method: .get, headers: jar.header).status == .ok)
                    let logout = try await second.execute(uri: "/auth/logout", method: .post, headers: jar.header)
                    #expect(logout.status == .noContent)
                    // At once on the instance that served the logout.
                    #expect(try await second.execute(uri: "/auth/me", method: .get, headers: jar.header).status == .unauthorized)
                    #expect(try await Self.refused(jar, by: first, within: .seconds(3)))
                }
            }
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func aLogoutBeforeARestartIsRefusedAfterIt(kind: TestDatabaseKind) async throws {
        try await Self.withSharedDatabase(kind, catchUp: "3600") { harness, configuration in
            let jar = try await TestServer.run(configuration) { _, client in
                let jar = try await harness.signIn(client)
                #expect(try await client.execute(uri: "/auth/logout", method: .post, headers: jar.header).status == .noContent)
                return jar
            }
            try await TestServer.run(configuration) { server, client async throws in
                #expect(server.revocations.count == 1)
                #expect(try await client.execute(uri: "/auth/me", method: .get, headers: jar.header).status == .unauthorized)
            }
        }
    }

    /// On SQLite only: closing the database under a running instance is how a test can take it
    /// away; PostgreSQL's client, shut down under live users, waits for connections that never
    /// come (the benchmark shows the PostgreSQL server doing no work for cookie requests instead).
    @Test func aValidCookieIsServedWhileTheDatabaseIsDown() async throws {
        try await Self.withSharedDatabase(.sqlite) { harness, configuration in
            try await TestServer.run(configuration) { server, client in
                let jar = try await harness.signIn(client)
                // The database goes away: readiness says so, the browser's path does not notice.
                await server.database.shutdown()
                #expect(try await client.execute(uri: "/readyz", method: .get).status == .serviceUnavailable)
                for _ in 0..<5 {
                    #expect(try await client.execute(uri: "/api/users/me", method: .get, headers: jar.header).status == .ok)
                    #expect(try await client.execute(uri: "/auth/me", method: .get, headers: jar.header).status == .ok)
                }
            }
        }
    }

    @Test func onPostgreSQLALogoutReachesTheOtherInstanceWithinASecond() async throws {
        try await Self.twoListeningInstances { _, first, second, jar async throws in
            #expect(try await first.execute(uri: "/auth/logout", method: .post, headers: jar.header).status == .noContent)
            #expect(try await Self.refused(jar, by: second, within: .seconds(1)))
        }
    }

    @Test func onPostgreSQLALogoutMissedWhileTheListeningConnectionWasCutIsCaughtUp() async throws {
        try await Self.twoListeningInstances { database, first, second, jar async throws in
            // Cut every listening connection, then log out before they listen again (they wait a
            // second): the notification reaches nobody.
            let cut = try await database.read { sql in
                try await sql.raw(
                    """
                    SELECT pg_terminate_backend(pid) AS cut FROM pg_stat_activity
                    WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'LISTEN%'
                    """
                ).all()
            }
            #expect(cut.count == 2)
            #expect(try await first.execute(uri: "/auth/logout", method: .post, headers: jar.header).status == .noContent)
            // The instance catches up as soon as it listens again.
            #expect(try await Self.refused(jar, by: second, within: .seconds(5)))
            try await Self.waitForListeners(2, on: database)
        }
    }

    /// Two instances on one new PostgreSQL database, both listening, with no periodic catch-up
    /// during the test (only a notification or a reconnect can tell them), and a session signed
    /// in on the first that the second accepts. Returns at once without PostgreSQL.
    static func twoListeningInstances(
        _ body: @Sendable (Database, any TestClientProtocol, any TestClientProtocol, CookieJar) async throws -> Void
    ) async throws {
        guard TestDatabaseKind.available.contains(.postgres) else { return }
        try await Self.withSharedDatabase(.postgres, catchUp: "3600") { harness, configuration in
            try await TestServer.run(configuration) { one, first in
                try await TestServer.run(configuration) { _, second in
                    try await Self.waitForListeners(2, on: one.database)
                    let jar = try await harness.signIn(first)
                    #expect(try await second.execute(uri: "/auth/me", method: .get, headers: jar.header).status == .ok)
                    try await body(one.database, first, second, jar)
                }
            }
        }
    }

    /// Runs `body` with a harness and the configuration of instances that share a new database of
    /// `kind`, catching up on logouts every `catchUp` seconds when given.
    static func withSharedDatabase(
        _ kind: TestDatabaseKind, catchUp: String? = nil,
        _ body: @Sendable (SignInHarness, ThingBridgeConfiguration) async throws -> Void
    ) async throws {
        let location = try await kind.makeLocation()
        try await SignInHarness.run { harness in
            var settings = ["THINGBRIDGE_DATABASE_URL": location.urlForEnvironment]
            settings["THINGBRIDGE_REVOCATION_CATCHUP"] = catchUp
            try await body(harness, try await harness.configuration(settings))
        }
    }

    /// Whether `client` answers `/auth/me` with 401 for `jar` within `limit`.
    static func refused(_ jar: CookieJar, by client: some TestClientProtocol, within limit: Duration) async throws -> Bool {
        try await RelayTesting.eventually(limit) {
            try await client.execute(uri: "/auth/me", method: .get, headers: jar.header).status == .unauthorized
        }
    }

    /// Waits until `count` connections listen on the database (each instance has one).
    static func waitForListeners(_ count: Int, on database: Database) async throws {
        let listening = try await RelayTesting.eventually(.seconds(10)) {
            let rows = try await database.read { sql in
                try await sql.raw(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'"
                ).all()
            }
            return rows.count == count
        }
        try #require(listening, "expected \(count) instances listening for logouts")
    }
}
