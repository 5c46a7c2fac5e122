import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@testable import ThingBridge

/// `POST /webhooks/thingiverse/:secret`, driven over HTTP against the real application, on
/// every available database.
@Suite struct WebhookReceiverTests {
    @Test(arguments: TestDatabaseKind.available)
    func aWrongSecretIs404AndStoresNothing(kind: TestDatabaseKind) async throws {
        try await TestServer.run(try await WebhookTesting.configuration(kind)) { server, client in
            for secret in ["wrong-secret-0123456789", TestEnvironment.webhookSecret + "x", String(TestEnvironment.webhookSecret.dropLast())] {
                let response = try await client.postWebhook(WebhookBodies.order(), secret: secret)
                #expect(response.status == .notFound)
                #expect(try response.errorBody().error == "not_found")
            }
            let invalid = try await client.postWebhook(WebhookBodies.documentationSample, secret: "nope-nope-nope-nope")
            #expect(invalid.status == .notFound)
            let counts = try await WebhookTesting.counts(server.database)
            #expect(counts == (0, 0, 0))
        }
    }

    @Test func everyConfiguredSecretIsAcceptedSoSecretsCanRotate() async throws {
        let configuration = try await WebhookTesting.configuration(
            .sqlite, ["THINGBRIDGE_WEBHOOK_SECRETS": "old-secret-0123456789,new-secret-9876543210"])
        try await TestServer.run(configuration) { _, client in
            let old = try await client.postWebhook(WebhookBodies.order(id: "1"), secret: "old-secret-0123456789")
            let new = try await client.postWebhook(WebhookBodies.order(id: "2"), secret: "new-secret-9876543210")
            #expect(old.status == .ok)
            #expect(new.status == .ok)
            #expect(try old.webhookAnswer().id != new.webhookAnswer().id)
            let stale = try await client.postWebhook(WebhookBodies.order(id: "3"), secret: TestEnvironment.webhookSecret)
            #expect(stale.status == .notFound)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func pingIsAnswered200(kind: TestDatabaseKind) async throws {
        try await TestServer.run(try await WebhookTesting.configuration(kind)) { server, client in
            let response = try await client.postWebhook(#"{"event": "ping"}"#)
            #expect(response.status == .ok)
            #expect(try response.json()["ok"] == .bool(true))
            #expect(try await WebhookTesting.counts(server.database).events == 0)
        }
    }

    @Test(arguments: TestDatabaseKind.available, OrderEventKind.allCases)
    func eachOrderEventIsStoredAndAnsweredWithItsID(kind: TestDatabaseKind, event: OrderEventKind) async throws {
        try await TestServer.run(try await WebhookTesting.configuration(kind)) { server, client in
            let body = WebhookBodies.order(event.rawValue)
            let response = try await client.postWebhook(body)
            #expect(response.status == .ok)
            let answer = try response.webhookAnswer()
            #expect(answer.ok && !answer.duplicate)
            #expect(response.text == #"{"ok":true,"id":\#(answer.id),"duplicate":false}"#)

            let store = SQLWebhookEventStore(database: server.database)
            let stored = try #require(try await store.event(id: answer.id))
            #expect(stored.event == event.rawValue)
            #expect(stored.subjectID == 1234)
            #expect(stored.rawBody == Array(body.utf8))
            #expect(stored.dedupeKey == "\(event.rawValue):1234:2016-04-29T08:03:38Z")
            #expect(stored.fields?["amount"] == .string("14.53"))
            #expect(stored.fields?["add_date"] == .string("2016-04-28 16:28:40"))
            #expect(stored.confirmation == .unconfirmed)
            #expect(abs(stored.receivedAt.timeIntervalSinceNow) < 60)
            let order = try #require(try await SQLOrderStore(database: server.database).order(id: 1234))
            #expect(order.state == OrderState(events: [event]))
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func numericFieldsAndExactAmountsAreStored(kind: TestDatabaseKind) async throws {
        try await TestServer.run(try await WebhookTesting.configuration(kind)) { server, client in
            let body =
                #"{"event":"order_created","order":{"id":987654321012,"thing_id":42,"amount":1234567.89,"fees":0.10,"is_shipped":false,"modified_date":"2024-01-02 03:04:05","add_date":"2024-01-02 03:04:05"}}"#
            let response = try await client.postWebhook(body)
            #expect(response.status == .ok)
            let store = SQLWebhookEventStore(database: server.database)
            let order = try #require(try await SQLOrderStore(database: server.database).order(id: 987_654_321_012))
            #expect(order.amount == "1234567.89")
            #expect(order.fees == "0.10")
            #expect(order.thingID == 42)
            #expect(order.addDate == "2024-01-02 03:04:05")
            let stored = try #require(try await store.event(id: try response.webhookAnswer().id))
            #expect(stored.fields?["is_shipped"] == .bool(false))
            #expect(stored.fields?["amount"] == .string("1234567.89"))
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func aRepeatedDeliveryIsADuplicateStoredOnce(kind: TestDatabaseKind) async throws {
        try await TestServer.run(try await WebhookTesting.configuration(kind)) { server, client in
            let first = try await client.postWebhook(WebhookBodies.order()).webhookAnswer()
            // Same event, order and modified_date, even with other whitespace: the same delivery.
            let second = try await client.postWebhook(WebhookBodies.order().replacingOccurrences(of: "\n", with: " "))
            #expect(second.status == .ok)
            #expect(second.text == #"{"ok":true,"id":\#(first.id),"duplicate":true}"#)
            // Without modified_date the body itself is the identity.
            let noDate = WebhookBodies.order(id: "99", modifiedDate: nil)
            let third = try await client.postWebhook(noDate).webhookAnswer()
            let fourth = try await client.postWebhook(noDate).webhookAnswer()
            #expect(!third.duplicate && fourth.duplicate && third.id == fourth.id)
            let counts = try await WebhookTesting.counts(server.database)
            #expect(counts.events == 2)
            #expect(counts.orders == 2)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func fiftyConcurrentIdenticalDeliveriesMakeOneRow(kind: TestDatabaseKind) async throws {
        try await TestServer.run(try await WebhookTesting.configuration(kind), mode: .live) { server, client in
            let answers = try await withThrowingTaskGroup(of: WebhookAnswer.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        let response = try await client.postWebhook(WebhookBodies.order("order_refunded", id: "555"))
                        #expect(response.status == .ok)
                        return try response.webhookAnswer()
                    }
                }
                return try await group.reduce(into: [WebhookAnswer]()) { $0.append($1) }
            }
            #expect(answers.count == 50)
            #expect(Set(answers.map(\.id)).count == 1)
            #expect(answers.filter { !$0.duplicate }.count == 1)
            let counts = try await WebhookTesting.counts(server.database)
            #expect(counts.events == 1)
            #expect(counts.orders == 1)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func anUnknownEventIsStoredAsReceived(kind: TestDatabaseKind) async throws {
        try await TestServer.run(try await WebhookTesting.configuration(kind)) { server, client in
            let body = #"{"event":"order_shipped","order":{"id":"1234","carrier":{"name":"UPS"}}}"#
            let response = try await client.postWebhook(body)
            #expect(response.status == .ok)
            let answer = try response.webhookAnswer()
            let store = SQLWebhookEventStore(database: server.database)
            let stored = try #require(try await store.event(id: answer.id))
            #expect(stored.event == "order_shipped")
            #expect(stored.subjectID == 1234)
            #expect(stored.rawBody == Array(body.utf8))
            // It does not invent an order state.
            #expect(try await SQLOrderStore(database: server.database).order(id: 1234) == nil)
            #expect(try await client.postWebhook(body).webhookAnswer().duplicate)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func theDocumentationSampleIsQuarantinedWith400(kind: TestDatabaseKind) async throws {
        try await TestServer.run(try await WebhookTesting.configuration(kind)) { server, client in
            let response = try await client.postWebhook(WebhookBodies.documentationSample)
            #expect(response.status == .badRequest)
            let error = try response.errorBody()
            #expect(error.error == "invalid_webhook")
            #expect(error.message.contains("expected ',' or '}'"))
            let store = SQLWebhookEventStore(database: server.database)
            let quarantined = try await store.quarantined(PageQuery())
            #expect(quarantined.items.count == 1)
            #expect(quarantined.items.first?.rawBody == Array(WebhookBodies.documentationSample.utf8))
            #expect(quarantined.items.first?.reason.contains("expected ',' or '}'") == true)
            #expect(try await WebhookTesting.counts(server.database).events == 0)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func anOrderEventWithoutAnOrderIdIsQuarantined(kind: TestDatabaseKind) async throws {
        try await TestServer.run(try await WebhookTesting.configuration(kind)) { server, client in
            let response = try await client.postWebhook(#"{"event":"refund_requested","order":{"amount":"1.00"}}"#)
            #expect(response.status == .badRequest)
            #expect(try response.errorBody().message.contains("order.id is missing"))
            #expect(try await WebhookTesting.counts(server.database) == (0, 0, 1))
        }
    }

    @Test func aBodyOver256KiBIs413() async throws {
        try await TestServer.run(try await WebhookTesting.configuration(.sqlite), mode: .live) { server, client in
            let padding = String(repeating: "x", count: 300 * 1024)
            let response = try await client.postWebhook(WebhookBodies.order(extra: #""padding": "\#(padding)","#))
            #expect(response.status == .contentTooLarge)
            #expect(try await WebhookTesting.counts(server.database) == (0, 0, 0))
            // Just under the limit is fine.
            let fits = String(repeating: "x", count: 250 * 1024)
            #expect(try await client.postWebhook(WebhookBodies.order(extra: #""padding": "\#(fits)","#)).status == .ok)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func deepNestingAndInvalidUTF8Are400AndTheServerStaysHealthy(kind: TestDatabaseKind) async throws {
        try await TestServer.run(try await WebhookTesting.configuration(kind), mode: .live) { server, client in
            let deep = #"{"event":"order_created","order":"# + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "}"
            let nested = try await client.postWebhook(deep)
            #expect(nested.status == .badRequest)
            #expect(try nested.errorBody().message.contains("nested deeper"))

            var invalid = Array(WebhookBodies.order().utf8)
            invalid.insert(contentsOf: [0xFF, 0xFE, 0xC3], at: invalid.count - 10)
            let broken = try await client.postWebhook(bytes: invalid)
            #expect(broken.status == .badRequest)
            #expect(try broken.errorBody().message.contains("UTF-8"))

            let store = SQLWebhookEventStore(database: server.database)
            let quarantined = try await store.quarantined(PageQuery())
            #expect(quarantined.items.map(\.rawBody).contains(invalid))
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            #expect(try await client.postWebhook(WebhookBodies.order()).status == .ok)
        }
    }

    @Test func storageFailureIs503NeverA2xx() async throws {
        try await TestServer.run(try await WebhookTesting.configuration(.sqlite)) { server, client in
            await server.database.shutdown()
            let response = try await client.postWebhook(WebhookBodies.order())
            #expect(response.status == .serviceUnavailable)
            #expect(try response.errorBody().error == "storage_unavailable")
            #expect(response.headers[.retryAfter] != nil)
            // A body that would be quarantined cannot be kept either: still not a 4xx that stops retries.
            let sample = try await client.postWebhook(WebhookBodies.documentationSample)
            #expect(sample.status == .serviceUnavailable)
        }
    }

    @Test func aReadOnlyDatabaseFileIs503() async throws {
        let directory = TestEnvironment.temporaryDirectory()
        let path = directory + "/readonly.sqlite"
        let configuration = try await WebhookTesting.configuration(.sqlite, ["THINGBRIDGE_DATABASE_URL": "sqlite:\(path)"])
        try await TestServer.run(configuration) { server, client in
            #expect(try await client.postWebhook(WebhookBodies.order(id: "1")).status == .ok)
            // Another process turning the database read-only (a full or failing disk behaves alike).
            try await server.database.withWriteConnection { sql in try await sql.raw("PRAGMA query_only = ON").run() }
            let response = try await client.postWebhook(WebhookBodies.order(id: "2"))
            #expect(response.status == .serviceUnavailable)
            try await server.database.withWriteConnection { sql in try await sql.raw("PRAGMA query_only = OFF").run() }
            #expect(try await client.postWebhook(WebhookBodies.order(id: "2")).status == .ok)
            #expect(try await WebhookTesting.counts(server.database).events == 2)
        }
    }

    @Test func theSecretNeverReachesTheLogs() async throws {
        let logs = CapturedLogs()
        try await TestServer.run(try await WebhookTesting.configuration(.sqlite), logs: logs) { _, client in
            _ = try await client.postWebhook(WebhookBodies.order())
            _ = try await client.postWebhook(WebhookBodies.documentationSample)
            _ = try await client.postWebhook(WebhookBodies.order(), secret: "a-wrong-secret-0123456789")
            _ = try await client.admin("/admin/api/events")
        }
        #expect(logs.all.contains("/webhooks/thingiverse/"))
        #expect(!logs.all.contains(TestEnvironment.webhookSecret))
        #expect(!logs.all.contains("a-wrong-secret-0123456789"))
        #expect(!logs.all.contains(WebhookTesting.adminToken))
    }
}

extension WebhookReceiverTests {
    @Test(.enabled(if: TestDatabaseKind.available.contains(.postgres)))
    func twoInstancesOnOnePostgreSQLStoreEachDeliveryOnceAndAgreeOnTheState() async throws {
        let configuration = try await WebhookTesting.configuration(.postgres)
        try await TestServer.run(configuration, mode: .live) { server, first in
            try await TestServer.run(configuration, mode: .live) { _, second in
                let answers = try await withThrowingTaskGroup(of: WebhookAnswer.self) { group in
                    for index in 0..<50 {
                        group.addTask {
                            let client = index.isMultiple(of: 2) ? first : second
                            let response = try await client.postWebhook(WebhookBodies.order("order_created", id: "777"))
                            #expect(response.status == .ok)
                            return try response.webhookAnswer()
                        }
                    }
                    // Events of another order split across both instances at once.
                    for (index, event) in OrderEventKind.allCases.enumerated() {
                        group.addTask {
                            let client = index.isMultiple(of: 2) ? second : first
                            return try await client.postWebhook(WebhookBodies.order(event.rawValue, id: "888")).webhookAnswer()
                        }
                    }
                    return try await group.reduce(into: [WebhookAnswer]()) { $0.append($1) }
                }
                #expect(answers.filter { !$0.duplicate }.count == 4)
                let counts = try await WebhookTesting.counts(server.database)
                #expect(counts.events == 4)
                let orders = SQLOrderStore(database: server.database)
                #expect(try await orders.order(id: 888)?.state == .refunded)
                #expect(try await orders.order(id: 888)?.eventCount == 3)
            }
        }
    }
}
