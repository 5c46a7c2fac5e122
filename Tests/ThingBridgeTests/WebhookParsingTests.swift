import Foundation
import Testing

@testable import ThingBridge

/// Parsing at the edge: JSON, amounts, dates, order fields and the order state machine.
@Suite struct WebhookParsingTests {
    @Test func documentedBodyParsesWithEveryField() throws {
        let delivery = try WebhookDelivery.parse(Array(WebhookBodies.order().utf8))
        guard case .order(let kind, let order) = delivery else {
            Issue.record("expected an order event, got \(delivery)")
            return
        }
        #expect(kind == .created)
        #expect(order.id == 1234)
        #expect(order.thingID == 5678)
        #expect(order.amount == DecimalAmount(units: 1453, scale: 2))
        #expect(order.amount?.text == "14.53")
        #expect(order.fees?.text == "0.54")
        #expect(order.addDate?.original == "2016-04-28 16:28:40")
        #expect(order.modifiedDate?.sortable == "2016-04-29T08:03:38Z")
        #expect(order.isShipped == true)
        #expect(order.status == "status")
        #expect(order.note == "a note")
        #expect(order.validatedShippingAddress == "123 Some St., Somecity, Somestate, 12345")
        #expect(order.charges?.serialized == #"[{"amount":"14.53","id":"ch_1"}]"#)
    }

    @Test func numericAndBooleanFieldsMeanTheSameAsStrings() throws {
        let body =
            #"{"event":"order_created","order":{"id":1234,"thing_id":5678,"amount":14.53,"fees":0.54,"is_shipped":true,"status":7,"modified_date":"2016-04-29 08:03:38"}}"#
        guard case .order(_, let numeric) = try WebhookDelivery.parse(Array(body.utf8)),
            case .order(_, let strings) = try WebhookDelivery.parse(Array(WebhookBodies.order().utf8))
        else {
            Issue.record("both bodies should be order events")
            return
        }
        #expect(numeric.id == strings.id)
        #expect(numeric.thingID == strings.thingID)
        #expect(numeric.amount == strings.amount)
        #expect(numeric.fees == strings.fees)
        #expect(numeric.isShipped == true)
        #expect(numeric.status == "7")
    }

    @Test(
        arguments: [
            ("14.53", 1453, 2), ("0.10", 10, 2), ("100", 100, 0), ("-3.5", -35, 1), ("0.000000001", 1, 9),
            ("999999999999999999", 999_999_999_999_999_999, 0),
        ] as [(String, Int64, Int)])
    func amountsAreExact(text: String, units: Int64, scale: Int) throws {
        let amount = try #require(DecimalAmount(text))
        #expect(amount.units == units)
        #expect(amount.scale == scale)
        #expect(amount.text == text)
    }

    @Test func amountsThatAreNotPlainDecimalsAreRefused() {
        for text in ["", "-", ".5", "5.", "1e3", "+1", "1,000.00", " 1", "0x10", "NaN", "1.2.3", "1234567890123456789", "0.0000000001"] {
            #expect(DecimalAmount(text) == nil, "\(text) should be refused")
        }
        // The classic floating point trap stays exact.
        let sum = DecimalAmount("0.1")!.units + DecimalAmount("0.2")!.units
        #expect(DecimalAmount(units: sum, scale: 1) == DecimalAmount("0.3"))
        #expect(DecimalAmount("14.5") == DecimalAmount("14.50"))
    }

    @Test func documentedDatesParseAndKeepTheirText() throws {
        let date = try #require(OrderTimestamp("2016-04-28 16:28:40"))
        #expect(date.original == "2016-04-28 16:28:40")
        #expect((date.year, date.month, date.day, date.hour, date.minute, date.second) == (2016, 4, 28, 16, 28, 40))
        #expect(OrderTimestamp("2016-04-28T16:28:40Z")?.sortable == date.sortable)
        for text in ["2016-02-30 00:00:00", "2016-13-01 00:00:00", "2016-04-28 24:00:00", "28/04/2016 16:28", "2016-04-28", "yesterday"] {
            #expect(OrderTimestamp(text) == nil, "\(text) should be refused")
        }
        #expect(OrderTimestamp("2016-02-29 00:00:00") != nil)
    }

    @Test func theDocumentationSampleIsRefusedWithAReason() {
        #expect {
            try WebhookDelivery.parse(Array(WebhookBodies.documentationSample.utf8))
        } throws: { error in
            let reason = (error as? WebhookDelivery.Rejection)?.reason ?? ""
            return reason.contains("expected ',' or '}'") && reason.contains("\"event\"")
        }
    }

    @Test(arguments: [
        (#"{"event":"order_created"}"#, "has no \"order\""),
        (#"{"event":"order_created","order":{"amount":"1.00"}}"#, "order.id is missing"),
        (#"{"event":"order_created","order":{"id":"12a"}}"#, "order.id must be an integer id"),
        (#"{"event":"order_created","order":{"id":"1","amount":"14,53"}}"#, "order.amount must be a decimal amount"),
        (#"{"event":"order_created","order":{"id":"1","amount":1.5e1}}"#, "order.amount must be a decimal amount"),
        (#"{"event":"order_created","order":{"id":"1","add_date":"April"}}"#, "order.add_date must be a date"),
        (#"{"event":"order_created","order":{"id":"1","is_shipped":"maybe"}}"#, "order.is_shipped must be true or false"),
        (#"{"order":{"id":"1"}}"#, "no \"event\" name"),
        (#"{"event":5}"#, "\"event\" must be"),
        (#"["event"]"#, "must be a JSON object"),
        (#"{"event":"ping","event":"order_created"}"#, "appears twice"),
        (#"{"event":"ping"} x"#, "after the JSON value"),
        ("", "expected a value"),
        ("not json", "expected a value"),
    ])
    func invalidBodiesAreRefusedWithTheirReason(body: String, reason: String) {
        #expect {
            try WebhookDelivery.parse(Array(body.utf8))
        } throws: { error in
            ((error as? WebhookDelivery.Rejection)?.reason ?? "").contains(reason)
        }
    }

    @Test func deepNestingAndInvalidUTF8AreRefusedWithoutCrashing() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(deep.utf8)) }
        let invalid: [UInt8] = Array(#"{"event":"order_created","note":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        #expect {
            try JSONParser.parse(invalid)
        } throws: { error in
            (error as? JSONParser.Failure)?.reason.contains("UTF-8") == true
        }
    }

    @Test func anOrdersStoredTextIsItsJSONSerialized() throws {
        let full = try OrderDetails(
            json: JSONParser.parse(
                Array(
                    #"{"id":"7","thing_id":12,"amount":"14.50","fees":"0.54","add_date":"2016-04-28 16:28:40","modified_date":"2016-04-29T08:03:38Z","charges":[{"id":"c","amount":1}],"validated_shipping_address":"1 \"Quoted\" St.\nTown","is_shipped":"true","status":"shipped","note":"ü"}"#
                        .utf8)))
        #expect(full.serializedJSON == full.json.serialized)
        #expect(try OrderDetails(json: JSONParser.parse(Array(full.serializedJSON.utf8))) == full)
        var unshipped = OrderDetails(id: 9)
        #expect(unshipped.serializedJSON == #"{"id":9}"#)
        unshipped.isShipped = false
        unshipped.note = "n"
        #expect(unshipped.serializedJSON == unshipped.json.serialized)
    }

    @Test func serializedTextIsCompactSortedEscapedAndParsesBack() throws {
        let value = JSONValue.object([
            "z": .array([.null, .bool(true), .bool(false), .number("-1.50e3")]),
            "a": .string("quote \" backslash \\ newline \n tab \t bell \u{07} é 😀"),
            "m": .object([:]),
        ])
        #expect(value.serialized == #"{"a":"quote \" backslash \\ newline \n tab \t bell \u0007 é 😀","m":{},"z":[null,true,false,-1.50e3]}"#)
        #expect(try JSONParser.parse(Array(value.serialized.utf8)) == value)
        var member = "x="
        JSONValue.writeString("a\u{1F}\"", to: &member)
        #expect(member == #"x="a\u001f\"""#)
    }

    @Test func stringsDecodeEscapesAndSurrogatePairs() throws {
        let value = try JSONParser.parse(Array(#"["a\"b\\c\n\u00e9\ud83d\ude00", "plain ü"]"#.utf8))
        #expect(value == .array([.string("a\"b\\c\né😀"), .string("plain ü")]))
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(#"["\ud83d"]"#.utf8)) }
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array("[\"tab\there\"]".utf8)) }
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array("[01]".utf8)) }
    }

    @Test func pingAndUnknownEventsAreRecognised() throws {
        #expect(try WebhookDelivery.parse(Array(#"{"event": "ping"}"#.utf8)) == .ping)
        let unknown = try WebhookDelivery.parse(
            Array(#"{"event":"order_shipped","order":{"id":"77","modified_date":"2020-01-01 00:00:00","weird":[1]}}"#.utf8))
        #expect(unknown == .unknown(name: "order_shipped", orderID: 77, modifiedDate: "2020-01-01 00:00:00"))
    }

    @Test func dedupeKeysUseEventOrderAndModifiedDateOrTheBodyHash() throws {
        let body = Array(WebhookBodies.order().utf8)
        let delivery = try WebhookDelivery.parse(body)
        #expect(delivery.dedupeKey(body: body) == "order_created:1234:2016-04-29T08:03:38Z")
        let noDate = Array(WebhookBodies.order(modifiedDate: nil).utf8)
        let key = try WebhookDelivery.parse(noDate).dedupeKey(body: noDate)
        #expect(key.hasPrefix("sha256:") && key.count == 7 + 64)
    }
}

@Suite struct OrderStateTests {
    @Test func everyOrderOfEveryEventSetEndsInTheSameState() {
        let kinds = OrderEventKind.allCases
        // All non-empty multisets up to three events, in every permutation.
        var sequences: [[OrderEventKind]] = kinds.map { [$0] }
        for _ in 0..<2 {
            sequences += sequences.flatMap { sequence in kinds.map { sequence + [$0] } }
        }
        for sequence in sequences {
            let expected: OrderState =
                sequence.contains(.refunded) ? .refunded : sequence.contains(.refundRequested) ? .refundRequested : .created
            #expect(OrderState(events: sequence) == expected, "\(sequence)")
            #expect(OrderState(events: sequence.reversed()) == expected, "\(sequence) reversed")
        }
        #expect(OrderState(events: [OrderEventKind]()) == nil)
    }

    @Test func aLateCreationDoesNotUndoARefund() {
        #expect(OrderState(events: [.refunded, .created]) == .refunded)
        #expect(OrderState(events: [.refundRequested, .created]) == .refundRequested)
        #expect(OrderState.after(.refunded, .refundRequested) == .refunded)
    }
}
