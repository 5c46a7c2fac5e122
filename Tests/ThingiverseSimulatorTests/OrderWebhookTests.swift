import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import ThingiverseSimulator

@Suite struct OrderWebhookTests {
    /// Runs a receiver on a free port that stores every body it gets.
    func withReceiver(_ test: @Sendable (_ url: String, _ received: ReceivedBodies) async throws -> Void) async throws {
        try await withWebhookReceiver(path: "/webhooks/thingiverse/s3cret", test)
    }

    @Test func markingAnOrderShippedSendsTheWebhookToTheAppsReceiver() async throws {
        try await withReceiver { url, received in
            let simulator = Fixture.simulator()
            #expect(simulator.setWebhookURL(url, clientID: "client-one"))
            #expect(!simulator.setWebhookURL(url, clientID: "no-such-app"))
            try await withRouter(simulator, signedIn: "alice_prints") { client, token in
                let shipped = try await client.api(.patch, "/orders/1234", token: token, json: #"{"is_shipped":true}"#)
                #expect(shipped.status == .ok)
                let order = try shipped.jsonObject()
                #expect(order["is_shipped"] as? String == "true")
                #expect(order["status"] as? String == "paid")
                #expect(order["note"] as? String == "Please gift wrap.")
                let reread = try await client.api(.get, "/orders/1234", token: token).jsonObject()
                #expect(reread["is_shipped"] as? String == "true")
                #expect(reread["modified_date"] as? String == order["modified_date"] as? String)

                let refund = try await client.api(.patch, "/orders/1234", token: token, json: #"{"status":"refund_requested"}"#)
                #expect(refund.status == .ok)
                #expect(try await client.api(.patch, "/orders/1234", token: token, json: #"{"status":"lost"}"#).status == .badRequest)
                // Another app's token cannot see or change the order.
                let other = simulator.issueToken(user: "alice_prints", clientID: "client-two")
                #expect(try await client.api(.patch, "/orders/1234", token: other, json: #"{"is_shipped":true}"#).status == .notFound)
            }
            try await simulator.shutdown()
            // Each webhook goes out on its own task, as real sites promise no order: match them by event.
            let bodies = try await received.bodies.map(decodedOrderWebhook)
            #expect(bodies.map(\.event).sorted() == ["order_shipped", "refund_requested"])
            #expect(bodies.allSatisfy { $0.order["id"] as? String == "1234" })
            #expect(bodies.first { $0.event == "order_shipped" }?.order["is_shipped"] as? String == "true")
            #expect(bodies.first { $0.event == "refund_requested" }?.order["status"] as? String == "refund_requested")
            #expect(simulator.sentWebhooks().map(\.status) == [200, 200])
            #expect(simulator.sentWebhooks().allSatisfy { $0.url == url })
        }
    }

    @Test func appsWithoutAWebhookURLSendNothing() async throws {
        let simulator = Fixture.simulator()
        try await withRouter(simulator, signedIn: "alice_prints") { client, token in
            let refunded = try await client.api(.patch, "/orders/1235", token: token, json: #"{"status":"refunded"}"#)
            #expect(try refunded.jsonObject()["status"] as? String == "refunded")
        }
        try await simulator.shutdown()
        #expect(simulator.sentWebhooks().isEmpty)
    }

    @Test func unreachableReceiversAreReportedNotFatal() async throws {
        let simulator = Fixture.simulator()
        simulator.setWebhookURL("http://127.0.0.1:1/hook", clientID: "client-one")
        let token = simulator.token(for: "alice_prints")
        try await withRouter(simulator) { client async throws in
            #expect(try await client.api(.patch, "/orders/1236", token: token, json: #"{"note":"Leave at the door."}"#).status == .ok)
        }
        try await simulator.shutdown()
        let sent = simulator.sentWebhooks()
        #expect(sent.map(\.event) == ["order_updated"])
        #expect(sent.first?.status == nil && sent.first?.failure != nil)
    }
}
