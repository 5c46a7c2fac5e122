import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import SQLKit
import Testing

@testable import ThingBridge

/// `POST /webhooks/userecho/SECRET`: UserEcho's hooks in the one event log.
@Suite struct UserEchoHookTests {
    static let secret = "userecho-hook-secret-0123456789"
    static let key = "userecho-signing-key"

    static func configuration(_ kind: TestDatabaseKind = .sqlite, signed: Bool = true) async throws -> ThingBridgeConfiguration {
        var environment = [
            "USERECHO_URL": "http://127.0.0.1:1", "USERECHO_API_KEY": "userecho-api-key", "USERECHO_WEBHOOK_SECRETS": Self.secret,
        ]
        if signed { environment["USERECHO_WEBHOOK_KEY"] = Self.key }
        return try await WebhookTesting.configuration(kind, environment)
    }

    static func hook(_ name: String = "topic.created", id: Int = 42, created: String = "2014-04-25T04:17:38.306Z") -> String {
        #"{"hook":"\#(name)","created":"\#(created)","data":{"id":\#(id),"forum_id":1,"header":"Support 0.2 mm nozzles"}}"#
    }

    static func signature(_ body: String, key: String = Self.key) -> String {
        HMAC<Insecure.SHA1>.authenticationCode(for: Array(body.utf8), using: SymmetricKey(data: Array(key.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }

    static func post(_ client: some TestClientProtocol, _ body: String, secret: String = Self.secret, signature: String?) async throws -> TestResponse
    {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let signature { headers[HTTPField.Name("X-UE-Signature")!] = signature }
        return try await client.execute(uri: "/webhooks/userecho/\(secret)", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    @Test(arguments: TestDatabaseKind.available)
    func aSignedHookIsStoredOnceAndRepeatsAreDuplicates(kind: TestDatabaseKind) async throws {
        try await TestServer.run(try await Self.configuration(kind)) { server, client in
            let body = Self.hook()
            let first = try await Self.post(client, body, signature: Self.signature(body))
            #expect(first.status == .ok)
            let answer = try first.webhookAnswer()
            #expect(!answer.duplicate)
            let again = try await Self.post(client, body, signature: Self.signature(body).uppercased())
            #expect(try again.webhookAnswer() == WebhookAnswer(ok: true, id: answer.id, duplicate: true))
            // The same topic in another hook is another event.
            let accepted = Self.hook("topic.accepted")
            #expect(try await Self.post(client, accepted, signature: Self.signature(accepted)).webhookAnswer().duplicate == false)

            let stored = try #require(try await SQLWebhookEventStore(database: server.database).event(id: answer.id))
            #expect(stored.source == .userecho)
            #expect(stored.event == "topic.created")
            #expect(stored.subjectID == nil)
            #expect(stored.rawBody == Array(body.utf8))
            #expect(try await WebhookTesting.counts(server.database).events == 2)
            let listed = try await client.admin("/admin/api/events?source=userecho").json()
            #expect(listed["events"].map { if case .array(let items) = $0 { items.count } else { 0 } } == 2)
        }
    }

    @Test func missingWrongAndOtherKeySignaturesAre401WithNothingStored() async throws {
        try await TestServer.run(try await Self.configuration()) { server, client in
            let body = Self.hook()
            for signature in [
                nil, "", "nothex", String(repeating: "0", count: 40), Self.signature(body, key: "another-key"), Self.signature(body + " "),
            ] {
                let response = try await Self.post(client, body, signature: signature)
                #expect(response.status == .unauthorized, "\(signature ?? "none")")
                #expect(try response.errorBody().error == "bad_signature")
            }
            let counts = try await WebhookTesting.counts(server.database)
            #expect(counts.events == 0 && counts.quarantine == 0)
        }
    }

    @Test func anUnknownSecretIs404AndWithoutAKeySignaturesAreNotChecked() async throws {
        try await TestServer.run(try await Self.configuration(signed: false)) { server, client in
            let unknown = try await Self.post(client, Self.hook(), secret: "not-the-secret-0123456789", signature: nil)
            #expect(unknown.status == .notFound)
            let unsigned = try await Self.post(client, Self.hook(), signature: nil)
            #expect(unsigned.status == .ok)
            let counts = try await WebhookTesting.counts(server.database)
            #expect(counts.events == 1)
        }
    }

    @Test func unreadableHooksAreQuarantinedAndLargeOnes413() async throws {
        try await TestServer.run(try await Self.configuration()) { server, client in
            for body in ["not json", #"{"hook":"topic.created"}"#, #"{"hook":"topic.created","created":"x","data":[]}"#, "[]"] {
                let response = try await Self.post(client, body, signature: Self.signature(body))
                #expect(response.status == .badRequest, "\(body)")
                #expect(try response.errorBody().error == "invalid_webhook")
            }
            let quarantined = try await SQLWebhookEventStore(database: server.database).quarantined(PageQuery())
            #expect(quarantined.items.count == 4)
            #expect(quarantined.items.allSatisfy { $0.source == .userecho })
            #expect(quarantined.items.contains { $0.rawBody == Array("not json".utf8) })

            let large = #"{"hook":"topic.created","created":"x","data":{"id":1,"description":""# + String(repeating: "a", count: 256 * 1024) + #""}}"#
            #expect(try await Self.post(client, large, signature: Self.signature(large)).status == .contentTooLarge)
            #expect(try await WebhookTesting.counts(server.database).events == 0)
        }
    }

    @Test func storageFailureIs503() async throws {
        try await TestServer.run(try await Self.configuration()) { server, client in
            await server.database.shutdown()
            let body = Self.hook()
            let response = try await Self.post(client, body, signature: Self.signature(body))
            #expect(response.status == .serviceUnavailable)
            #expect(try response.errorBody().error == "storage_unavailable")
        }
    }
}

/// Migration 4 gives every stored event and quarantined body a source, in place.
@Suite struct EventSourceMigrationTests {
    @Test(arguments: TestDatabaseKind.available)
    func eventsAndOrdersWrittenByTheFirstReleaseSurviveTheMigration(kind: TestDatabaseKind) async throws {
        let database = try await Database.open(kind.makeLocation(), logger: Logger(label: "test"))
        try await Migrator(database: database, migrations: Migration.all.filter { $0.version <= 3 }).migrate()
        // Rows exactly as the first release wrote them.
        let body = Data(WebhookBodies.order(id: "77").utf8)
        try await database.write { sql in
            try await sql.raw(
                """
                INSERT INTO webhook_events (received_at, event, order_id, dedupe_key, raw_body, fields, thing_id, amount, modified_at,
                    confirmation_status, confirmation_attempts) VALUES
                (1700000000000000, 'order_created', 77, 'order_created:77:2016-04-29 08:03:38', \(bind: body), '{"id":77}', 5678, '14.53',
                    '2016-04-29 08:03:38', 'unconfirmed', 0)
                """
            ).run()
            try await sql.raw(
                """
                INSERT INTO orders (order_id, state, thing_id, amount, creation_seen, event_count, first_received_at, last_received_at)
                VALUES (77, 'created', 5678, '14.53', \(bind: true), 1, 1700000000000000, 1700000000000000)
                """
            ).run()
            try await sql.raw(
                "INSERT INTO webhook_quarantine (received_at, reason, raw_body) VALUES (1700000000000000, 'not JSON', \(bind: Data("x".utf8)))"
            ).run()
        }
        #expect(try await Migrator(database: database).migrate().first == 4)

        let store = SQLWebhookEventStore(database: database, projections: [OrderProjection()])
        let orders = SQLOrderStore(database: database)
        let events = try await store.events(EventQuery())
        #expect(events.items.count == 1)
        let event = try #require(events.items.first)
        #expect(event.source == .thingiverse)
        #expect(event.subjectID == 77)
        #expect(event.rawBody == Array(body))
        let order = try #require(try await orders.order(id: 77))
        #expect(order.state == .created)
        #expect(order.amount == "14.53")
        #expect(try await store.quarantined(PageQuery()).items.map(\.source) == [.thingiverse])
        // The log goes on: a refund for the old order is recorded and its state follows.
        let refund = try WebhookDelivery.parse(Array(WebhookBodies.order("order_refunded", id: "77").utf8))
        _ = try await store.record(IncomingEvent(delivery: refund, rawBody: [], receivedAt: Date()))
        #expect(try await orders.order(id: 77)?.state == .refunded)
        await database.shutdown()
    }
}
