import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import Testing
import ThingBridgeDevelopment
import ThingiverseSimulator

@testable import ThingBridge

/// Development mode comes from outside the server library: `buildApplication` gets the
/// simulators from ThingBridgeDevelopment, mounts them and points them at itself.
@Suite struct DevelopmentEnvironmentTests {
    /// What `/dev/info` says: whether the development pages are on.
    static func developmentPagesAreOn(_ client: some TestClientProtocol) async throws -> Bool {
        let info = try await client.execute(uri: "/dev/info", method: .get).text
        #expect(info.contains("\"development\":true") != info.contains("\"development\":false"), "unclear: \(info)")
        return info.contains("\"development\":true")
    }

    @Test func developmentModeWithoutSimulatorsIsRefusedWithTheSettingToSet() async throws {
        let configuration = try await TestEnvironment.serverConfiguration()
        do {
            _ = try await buildApplication(configuration: configuration, logger: Logger(label: "test"))
            Issue.record("A configuration without a Thingiverse client id started without simulators.")
        } catch let error as ConfigurationError {
            #expect(error.setting == "THINGIVERSE_CLIENT_ID")
        }
    }

    @Test func everyProviderWithoutCredentialsIsSimulatedAndPointedAtThingBridge() async throws {
        let configuration = try await TestEnvironment.serverConfiguration()
        let simulators = try #require(DevelopmentSimulators(configuration: configuration))
        let server = try await buildApplication(configuration: configuration, logger: Logger(label: "test"), development: simulators)
        try await server.application.test(.router) { client async throws in
            #expect(try await Self.developmentPagesAreOn(client))
            #expect(try await client.execute(uri: "/sim/login/oauth/authorize?client_id=thingbridge-development", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/sim/flattr/api/things/423405", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/sim/userecho/", method: .get).status == .ok)
        }
        let webhookURL = configuration.publicURL + "/webhooks/thingiverse/" + TestEnvironment.webhookSecret
        #expect(simulators.thingiverseSimulator?.configuration.apps.first?.webhookURL == webhookURL)
        let hooks = simulators.userechoSimulator?.hooks ?? []
        #expect(hooks.map(\.event) == ["topic.created", "comment.created", "topic.deleted"])
        #expect(hooks.allSatisfy { $0.targetURL.hasPrefix(configuration.publicURL + "/webhooks/userecho/") })
        #expect(server.startupNotes.filter { $0.hasPrefix("DEVELOPMENT MODE") }.count == 3)
    }

    @Test func aConfiguredThingiverseLeavesTheOthersSimulatedAndTheDevelopmentPagesOff() async throws {
        let configuration = try await TestEnvironment.serverConfiguration([
            "THINGIVERSE_CLIENT_ID": "client-0", "THINGIVERSE_CLIENT_SECRET": "secret-0",
        ])
        let simulators = try #require(DevelopmentSimulators(configuration: configuration))
        #expect(simulators.thingiverse == nil && simulators.flattr != nil && simulators.userecho != nil)
        let server = try await buildApplication(configuration: configuration, logger: Logger(label: "test"), development: simulators)
        try await server.application.test(.router) { client async throws in
            #expect(try await !Self.developmentPagesAreOn(client))
            #expect(try await client.execute(uri: "/sim/login/oauth/authorize", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/sim/flattr/api/things/423405", method: .get).status == .ok)
        }
    }
}
