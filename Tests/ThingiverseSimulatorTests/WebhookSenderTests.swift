import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import ThingiverseSimulator

@Suite struct WebhookSenderTests {
    /// Runs a receiver on a free port that answers 202 to new bodies and 200 to repeats.
    func withReceiver(_ test: @Sendable (_ url: String, _ received: ReceivedBodies) async throws -> Void) async throws {
        try await withWebhookReceiver(
            path: "/hook",
            answer: { repeated in
                Response(status: repeated ? .ok : .accepted, body: ResponseBody(byteBuffer: ByteBuffer(string: "seen")))
            }, test)
    }

    @Test func sendPostsTheBytesAndReportsTheReply() async throws {
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { _ = httpClient.shutdown() }
        try await withReceiver { url, received in
            let sender = WebhookSender(httpClient: httpClient)
            let reply = try await sender.send(WebhookPayload.ping(), to: url)
            #expect(reply.status == 202)
            #expect(reply.body == "seen")
            #expect(await received.bodies == [WebhookPayload.ping()])
        }
    }

    @Test func lifecycleScenarioSendsTheThreeEventsInOrder() async throws {
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { _ = httpClient.shutdown() }
        try await withReceiver { url, received in
            let results = try await WebhookSender(httpClient: httpClient).runScenario(.lifecycle, to: url, orderID: "1234")
            #expect(results.map(\.event) == ["order_created", "refund_requested", "order_refunded"])
            #expect(results.map(\.status) == [202, 202, 202])
            let bodies = try await received.bodies.map(decodedOrderWebhook)
            #expect(bodies.map(\.event) == ["order_created", "refund_requested", "order_refunded"])
            #expect(bodies.allSatisfy { $0.order["id"] as? String == "1234" })
            #expect(bodies.map { $0.order["status"] as? String } == ["paid", "refund_requested", "refunded"])
        }
    }

    @Test func shuffledScenarioSendsOutOfOrderWithIdenticalDuplicates() async throws {
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { _ = httpClient.shutdown() }
        try await withReceiver { url, received in
            let results = try await WebhookSender(httpClient: httpClient).runScenario(.shuffled, to: url, orderID: "77")
            #expect(
                results.map(\.event)
                    == ["order_refunded", "order_created", "order_refunded", "refund_requested", "order_created"])
            // The receiver answers 200 only to a byte-identical repeat.
            #expect(results.map(\.status) == [202, 202, 200, 202, 200])
            let bodies = try await received.bodies.map(decodedOrderWebhook)
            #expect(bodies.map(\.event) == results.map(\.event))
            #expect(bodies.allSatisfy { $0.order["id"] as? String == "77" })
        }
    }

    @Test func unreachableReceiverThrows() async throws {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .milliseconds(300), read: .seconds(1))
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        defer { _ = httpClient.shutdown() }
        await #expect(throws: (any Error).self) {
            // Port 1 on loopback: nothing listens there.
            _ = try await WebhookSender(httpClient: httpClient).send(WebhookPayload.ping(), to: "http://127.0.0.1:1/hook")
        }
    }
}
