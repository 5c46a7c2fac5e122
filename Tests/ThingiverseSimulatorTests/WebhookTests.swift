import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import ThingiverseSimulator

@Suite struct WebhookPayloadTests {
    @Test func pingIsExactlyTheDocumentedBody() {
        #expect(String(decoding: WebhookPayload.ping(), as: UTF8.self) == #"{"event":"ping"}"#)
    }

    @Test func orderFieldsAreStringsInTheDocumentedOrder() throws {
        let bytes = WebhookPayload.order(event: "order_created", order: .sample(id: "1234"))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix(#"{"event":"order_created","order":{"id":"1234","thing_id":""#))
        for fragment in [
            #""id":"1234""#, #""amount":"14.53""#, #""is_shipped":"true""#, #""fees":"0.54""#,
            #""add_date":"2016-04-28 16:28:40""#, #""modified_date":"2016-04-29 08:03:38""#,
        ] {
            #expect(text.contains(fragment), "\(fragment) in \(text)")
        }
        let keys = [
            "id", "thing_id", "amount", "add_date", "modified_date", "charges", "fees",
            "validated_shipping_address", "is_shipped", "status", "note",
        ]
        let positions = keys.map { text.range(of: "\"\($0)\":")?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())

        let json = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let order = try #require(json["order"] as? [String: Any])
        let charges = try #require(order["charges"] as? [[String: Any]])
        #expect(!charges.isEmpty)
        #expect(charges.allSatisfy { charge in charge.values.allSatisfy { $0 is String } })
        for (key, value) in order where key != "charges" {
            #expect(value is String, "\(key) should be a string")
        }
        #expect(order.count == keys.count)
    }

    @Test func scenariosListTheirEvents() {
        #expect(WebhookScenario.lifecycle.events == ["order_created", "refund_requested", "order_refunded"])
        let shuffled = WebhookScenario.shuffled.events
        #expect(shuffled.count == 5 && Set(shuffled) == Set(WebhookScenario.lifecycle.events))
        #expect(shuffled != WebhookScenario.lifecycle.events)
    }
}

/// Remembers every body a test receiver got.
actor ReceivedBodies {
    private(set) var bodies: [[UInt8]] = []

    /// Stores the body; returns whether an identical body had arrived before.
    func record(_ body: [UInt8]) -> Bool {
        defer { bodies.append(body) }
        return bodies.contains(body)
    }
}

@Suite struct WebhookSenderTests {
    /// Runs a receiver on a free port that answers 202 to new bodies and 200 to repeats.
    func withReceiver(_ test: @Sendable (_ url: String, _ received: ReceivedBodies) async throws -> Void) async throws {
        let received = ReceivedBodies()
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            let repeated = await received.record(Array(body.readableBytesView))
            let status: HTTPResponse.Status = repeated ? .ok : .accepted
            return Response(status: status, body: ResponseBody(byteBuffer: ByteBuffer(string: "seen")))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            try await test("http://127.0.0.1:\(port)/hook", received)
        }
    }

    func decoded(_ body: [UInt8]) throws -> (event: String, order: [String: Any]) {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        return (try #require(json["event"] as? String), try #require(json["order"] as? [String: Any]))
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
            let bodies = try await received.bodies.map(decoded)
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
            let bodies = try await received.bodies.map(decoded)
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
