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
