import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import Testing

@testable import ThingBridge

/// Confirming stored order events against `GET /orders/{id}`: the persistent queue, the
/// outcomes, retries and the rate budget.
@Suite struct WebhookConfirmationTests {
    /// The event log as the server has it with an app token: order events wait for confirmation.
    static func eventLog(_ database: Database) -> SQLWebhookEventStore {
        SQLWebhookEventStore(database: database, projections: [OrderProjection(confirmsOrders: true)])
    }

    static func pendingEvent(_ store: SQLWebhookEventStore, id: String, amount: String = "14.53") async throws -> Int64 {
        let body = Array(WebhookBodies.order(id: id, amount: amount).utf8)
        let delivery = try WebhookDelivery.parse(body)
        return try await store.record(IncomingEvent(delivery: delivery, rawBody: body, receivedAt: Date())).id
    }

    static func apiOrder(_ id: Int64, amount: String = "14.53", thingID: Int64 = 5678) -> OrderDetails {
        var order = OrderDetails(id: id)
        order.thingID = thingID
        order.amount = DecimalAmount(amount)
        order.addDate = OrderTimestamp("2016-04-28 16:28:40")
        order.modifiedDate = OrderTimestamp("2016-06-01 00:00:00")
        order.status = "shipped"
        return order
    }

    @Test(arguments: TestDatabaseKind.available)
    func eventsAreMarkedConfirmedMismatchOrNotFound(kind: TestDatabaseKind) async throws {
        let database = try await kind.makeDatabase()
        let store = Self.eventLog(database)
        let confirmed = try await Self.pendingEvent(store, id: "1")
        let mismatched = try await Self.pendingEvent(store, id: "2", amount: "14.53")
        let missing = try await Self.pendingEvent(store, id: "3")
        let lookup = FakeOrderLookup([1: .order(Self.apiOrder(1)), 2: .order(Self.apiOrder(2, amount: "41.53", thingID: 9)), 3: .notFound])
        let confirmer = OrderConfirmer(store: SQLOrderStore(database: database), lookup: lookup, logger: Logger(label: "test"))

        #expect(try await confirmer.runOnce() == 3)
        #expect(lookup.lookups == [1, 2, 3])
        #expect(try await store.event(id: confirmed)?.confirmation == .confirmed)
        #expect(try await store.event(id: missing)?.confirmation == .notFound)
        let mismatch = try #require(try await store.event(id: mismatched))
        #expect(mismatch.confirmation == .mismatch)
        #expect(
            mismatch.confirmationDetail
                == .array([
                    .object(["field": .string("thing_id"), "webhook": .string("5678"), "api": .string("9")]),
                    .object(["field": .string("amount"), "webhook": .string("14.53"), "api": .string("41.53")]),
                ])
        )
        // Decided events are not looked up again.
        #expect(try await confirmer.runOnce() == 0)
        #expect(lookup.lookups.count == 3)
        await database.shutdown()
    }

    @Test func equalAmountsWithOtherScalesAndChangedStatusStillConfirm() {
        var webhook = Self.apiOrder(7)
        webhook.status = "paid"
        webhook.modifiedDate = OrderTimestamp("2016-04-29 08:03:38")
        var api = Self.apiOrder(7, amount: "14.530")
        api.isShipped = true
        #expect(OrderConfirmer.differences(webhook: webhook, api: api).isEmpty)
    }

    @Test func failedLookupsAreRetriedWithBackoffAndSurviveARestart() async throws {
        let database = try await TestDatabaseKind.sqlite.makeDatabase()
        let store = Self.eventLog(database)
        let id = try await Self.pendingEvent(store, id: "5")
        let lookup = FakeOrderLookup([5: .failure(.unexpectedStatus(502))])
        let confirmer = OrderConfirmer(store: SQLOrderStore(database: database), lookup: lookup, logger: Logger(label: "test"))
        let start = Date()

        #expect(try await confirmer.runOnce(now: start) == 1)
        var event = try #require(try await store.event(id: id))
        #expect(event.confirmation == .pending)
        #expect(event.confirmationAttempts == 1)
        #expect(event.confirmationDetail?["last_error"] == .string("the Thingiverse API answered 502"))
        // Not due again until the backoff has passed.
        #expect(try await confirmer.runOnce(now: start.addingTimeInterval(5)) == 0)

        // A new confirmer (as after a restart) picks the queue up from the database.
        lookup.set(5, .order(Self.apiOrder(5)))
        let restarted = OrderConfirmer(store: SQLOrderStore(database: database), lookup: lookup, logger: Logger(label: "test"))
        #expect(try await restarted.runOnce(now: start.addingTimeInterval(12)) == 1)
        event = try #require(try await store.event(id: id))
        #expect(event.confirmation == .confirmed)
        #expect(event.confirmationAttempts == 2)
        await database.shutdown()
    }

    @Test func backoffGrowsAndIsCapped() {
        let first = OrderConfirmer.backoff(attempts: 0)
        let third = OrderConfirmer.backoff(attempts: 2)
        #expect(first >= .seconds(10) && first <= .seconds(11))
        #expect(third >= .seconds(40) && third <= .seconds(44))
        #expect(OrderConfirmer.backoff(attempts: 50) <= .seconds(3960))
    }

    @Test func theRateBudgetLimitsLookups() async throws {
        let database = try await TestDatabaseKind.sqlite.makeDatabase()
        let store = Self.eventLog(database)
        for id in 1...5 {
            _ = try await Self.pendingEvent(store, id: String(id))
        }
        let lookup = FakeOrderLookup()
        let budget = RateBudget(count: 2, period: .seconds(3600))
        let confirmer = OrderConfirmer(store: SQLOrderStore(database: database), lookup: lookup, budget: budget, logger: Logger(label: "test"))
        #expect(try await confirmer.runOnce() == 2)
        #expect(try await confirmer.runOnce() == 0)
        #expect(lookup.lookups.count == 2)
        #expect(budget.waitForNext() > .seconds(1000))
        await database.shutdown()
    }

    @Test func theServerConfirmsOverHTTPWithTheAppTokenInTheBackground() async throws {
        let orders: [Int64: String] = [
            1: #"{"id": 1, "thing_id": "5678", "amount": "14.53", "add_date": "2016-04-28 16:28:40", "status": "shipped"}"#,
            2: #"{"id": "2", "thing_id": 5678, "amount": 99.99, "add_date": "2016-04-28 16:28:40"}"#,
        ]
        try await FakeOrdersAPI.run(orders: orders) { apiURL, authorizations in
            let configuration = try await WebhookTesting.configuration(
                .sqlite,
                [
                    "THINGIVERSE_CLIENT_ID": "test-client", "THINGIVERSE_CLIENT_SECRET": "test-client-secret",
                    "THINGIVERSE_API_URL": apiURL, "THINGIVERSE_APP_TOKEN": "app-token-0123456789",
                ]
            )
            let logs = CapturedLogs()
            try await TestServer.run(configuration, logs: logs) { server, client in
                var ids: [Int64] = []
                for id in ["1", "2", "3"] {
                    ids.append(try await client.postWebhook(WebhookBodies.order(id: id)).webhookAnswer().id)
                }
                let store = SQLWebhookEventStore(database: server.database)
                var statuses: [ConfirmationStatus] = []
                for _ in 0..<100 {
                    statuses = []
                    for id in ids { statuses.append(try await store.event(id: id)?.confirmation ?? .unconfirmed) }
                    if !statuses.contains(.pending) { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(statuses == [.confirmed, .mismatch, .notFound])
                #expect(
                    try await client.admin("/admin/api/events/\(ids[1])").json()["confirmation_detail"]
                        == .array([
                            .object(["field": .string("amount"), "webhook": .string("14.53"), "api": .string("99.99")])
                        ]))
            }
            #expect(authorizations() == ["Bearer app-token-0123456789", "Bearer app-token-0123456789", "Bearer app-token-0123456789"])
            #expect(!logs.all.contains("app-token-0123456789"))
        }
    }

    @Test func withoutAnAppTokenEventsStayUnconfirmed() async throws {
        try await TestServer.run(try await WebhookTesting.configuration(.sqlite)) { server, client in
            let id = try await client.postWebhook(WebhookBodies.order()).webhookAnswer().id
            #expect(try await SQLWebhookEventStore(database: server.database).event(id: id)?.confirmation == .unconfirmed)
        }
    }
}
