import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import ThingiverseSimulator

@testable import ThingBridge

/// Every endpoint the proxy allows is one the built-in simulator answers: a newcomer trying the
/// API console with no account never meets a 404 for a documented endpoint. Serialized: 106
/// pairs of live servers at once would starve the timing-sensitive suites running beside them.
@Suite(.serialized) struct SimulatorCoverageTests {
    @Test(arguments: EndpointAllowList.thingiverseREST)
    func everyAllowedEndpointAnswersThroughTheProxy(_ endpoint: String) async throws {
        let example = SeedExamples.request(for: endpoint)
        #expect(!example.path.contains("{"), "no seeded value for a parameter of \(endpoint)")
        try await SignInHarness.withServer { harness, client in
            let token = harness.simulator.issueToken(user: "alice_prints", clientID: SignInHarness.clientID)
            var headers: HTTPFields = [.authorization: "Bearer \(token)"]
            if example.body != nil { headers[.contentType] = "application/json" }
            let response = try await client.execute(
                uri: "/api" + example.path, method: example.method, headers: headers, body: example.body.map { ByteBuffer(string: $0) })
            #expect(response.status != .notFound, "\(endpoint) -> \(example.path): \(response.text)")
            #expect((200..<400).contains(response.status.code), "\(endpoint) -> \(response.status): \(response.text)")
        }
    }
}

extension SimulatorCoverageTests {
    @Test func markingAnOrderShippedThroughTheProxySendsAWebhookThatIsStored() async throws {
        try await SignInHarness.run { harness in
            try await TestServer.run(try await harness.configuration(["THINGBRIDGE_ADMIN_TOKEN": WebhookTesting.adminToken]), mode: .live) {
                server, client in
                let receiver = "http://127.0.0.1:\(client.port!)/webhooks/thingiverse/\(TestEnvironment.webhookSecret)"
                #expect(harness.simulator.setWebhookURL(receiver, clientID: SignInHarness.clientID))
                let token = harness.simulator.issueToken(user: "alice_prints", clientID: SignInHarness.clientID)
                let shipped = try await client.execute(
                    uri: "/api/orders/1234", method: .patch, headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                    body: ByteBuffer(string: #"{"is_shipped":true}"#))
                #expect(shipped.status == .ok)
                let store = SQLWebhookEventStore(database: server.database)
                #expect(
                    try await RelayTesting.eventually {
                        try await store.events(EventQuery(subjectID: 1234)).items.contains { $0.event == "order_shipped" }
                    })
            }
        }
    }
}
