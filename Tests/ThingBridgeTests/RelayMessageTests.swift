import Foundation
import Testing

@testable import ThingBridge

/// The relay's pieces that need no server: types, filters, the body and the schedule.
@Suite struct RelayMessageTests {
    @Test(arguments: [
        (EventSource.thingiverse, "order_created", "thingiverse.order.created"),
        (.thingiverse, "refund_requested", "thingiverse.order.refund_requested"),
        (.thingiverse, "order_refunded", "thingiverse.order.refunded"),
        (.thingiverse, "order_shipped", "thingiverse.order_shipped"),
        (.userecho, "topic.created", "userecho.topic.created"),
    ])
    func eventsAreRelayedAsTheContractsTypes(source: EventSource, event: String, type: String) {
        #expect(EventProjections.builtIn.relayType(source: source, event: event) == type)
    }

    @Test func filtersMatchExactTypesPrefixesAndEverything() throws {
        let orders = try RelayTypeFilter(["thingiverse.order.*", "userecho.topic.created"])
        #expect(orders.matches("thingiverse.order.refund_requested"))
        #expect(orders.matches("userecho.topic.created"))
        #expect(!orders.matches("userecho.topic.deleted"))
        #expect(!orders.matches("thingiverse.orderly"))
        #expect(try RelayTypeFilter([]).matches("anything.at.all"))
        #expect(throws: RelayTypeFilter.Invalid.self) { try RelayTypeFilter(["thingiverse.order.refund*"]) }
        #expect(throws: RelayTypeFilter.Invalid.self) { try RelayTypeFilter(["Thingiverse.Order"]) }
    }

    @Test func theBodyKeepsTheEventsBytesAndAddsThingBridgesPart() throws {
        let raw = #"{"event": "order_created", "order": {"id": "7", "amount": 14.530}}"#
        let body = RelayMessage.body(
            type: "thingiverse.order.created", receivedAt: Date(timeIntervalSince1970: 0), eventID: 42, annotations: ["order_state": "created"],
            rawBody: Array(raw.utf8))
        let text = String(decoding: body, as: UTF8.self)
        #expect(text.hasPrefix(#"{"type":"thingiverse.order.created","timestamp":"1970-01-01T00:00:00.000Z","data":{"event": "order_created""#))
        // The number's spelling survives (no round trip through a Double).
        #expect(text.contains(#""amount": 14.530}"#))
        #expect(text.hasSuffix(#","thingbridge":{"event_id":42,"order_state":"created"}}}"#))
        let parsed = try JSONParser.parse(body)
        #expect(parsed["data"]?["thingbridge"]?["event_id"] == .number("42"))
    }

    @Test func aBodyWithItsOwnThingBridgeKeyOrNoMembersIsStillOneObject() throws {
        let clashing = RelayMessage.body(type: "t", receivedAt: Date(), eventID: 1, rawBody: Array(#"{"thingbridge":"theirs"}"#.utf8))
        #expect(try JSONParser.parse(clashing)["data"]?["thingbridge"]?["event_id"] == .number("1"))
        let empty = RelayMessage.body(type: "t", receivedAt: Date(), eventID: 2, rawBody: Array("{}".utf8))
        #expect(try JSONParser.parse(empty)["data"]?["thingbridge"]?["event_id"] == .number("2"))
    }

    @Test func theScheduleWaitsAtLeastItsStepOrRetryAfterAndEndsInFailure() {
        let schedule = RelaySchedule(delays: [10, 300])
        let now = Date(timeIntervalSince1970: 1_000_000)
        for _ in 0..<50 {
            guard case .retry(let at, _, _) = schedule.afterFailure(attemptsBefore: 0, status: 500, error: "e", retryAfter: nil, now: now) else {
                Issue.record("the first failure is retried")
                return
            }
            let wait = at.timeIntervalSince(now)
            #expect(wait >= 10 && wait <= 11)
        }
        guard case .retry(let at, _, _) = schedule.afterFailure(attemptsBefore: 1, status: 429, error: "e", retryAfter: 900, now: now) else {
            Issue.record("the second failure is retried")
            return
        }
        #expect(at.timeIntervalSince(now) == 900)
        #expect(schedule.afterFailure(attemptsBefore: 2, status: 500, error: "e", retryAfter: nil, now: now) == .failed(status: 500, error: "e"))
    }
}
