import Foundation
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Testing

@testable import ThingBridge

/// `GET /admin/api/stats`: exact figures, equal to what the deliveries add up to however they arrive.
@Suite struct OrderStatisticsTests {
    /// Sends every delivery, `concurrency` at a time, and checks each was answered 200.
    static func send(_ deliveries: [OrderScenario.Delivery], to client: any TestClientProtocol, concurrency: Int = 8) async throws {
        var start = 0
        while start < deliveries.count {
            let slice = deliveries[start..<min(start + concurrency, deliveries.count)]
            try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for delivery in slice {
                    group.addTask { try await client.postWebhook(delivery.body).status }
                }
                for try await status in group { #expect(status == .ok) }
            }
            start += slice.count
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func statsEqualTheFiguresOfTheDeliveries(kind: TestDatabaseKind) async throws {
        let scenario = OrderScenario(count: 120)
        try await TestServer.run(try await WebhookTesting.configuration(kind)) { server, client in
            // Half first, so figures are changed (not only built) by the later half.
            let half = scenario.deliveries.count / 2
            try await Self.send(Array(scenario.deliveries[..<half]), to: client)
            let early = try await client.admin("/admin/api/stats")
            #expect(early.status == .ok)
            #expect(OrderScenario.actual(try early.json()) == scenario.expected(delivered: Array(scenario.deliveries[..<half])))

            try await Self.send(Array(scenario.deliveries[half...]), to: client)
            let all = try await client.admin("/admin/api/stats").json()
            let expected = scenario.expected()
            #expect(OrderScenario.actual(all) == expected)
            #expect(expected.granted > 0 && expected.requested > 0 && expected.states["created"]! > 0, "the scenario covers every state")
            #expect(all["basis"] == .string("order"))

            // A range of whole days.
            let range = try await client.admin("/admin/api/stats?since=2024-03-03&until=2024-03-07").json()
            #expect(OrderScenario.actual(range) == scenario.expected(since: "2024-03-03", until: "2024-03-07"))
            #expect(range["since"] == .string("2024-03-03"))
            let midnight = try await client.admin("/admin/api/stats?since=2024-03-03T00:00:00Z").json()
            #expect(OrderScenario.actual(midnight) == scenario.expected(since: "2024-03-03"))

            // By day received: every delivery arrived today, so one day holds every order.
            let received = try await client.admin("/admin/api/stats?basis=received").json()
            #expect(received["orders"] == .number(String(expected.orders)))
            #expect(received["revenue"] == all["revenue"])
            if case .array(let days)? = received["days"] {
                #expect(days.count == 1)
            } else {
                Issue.record("no days in \(received)")
            }

            // The orders the listing holds agree with the figures, order by order.
            let store = SQLOrderStore(database: server.database)
            var listed: [StoredOrder] = []
            var cursor: String?
            repeat {
                let page = try await store.orders(OrderQuery(page: PageQuery(limit: 500, cursor: cursor)))
                listed += page.items
                cursor = page.nextCursor
            } while cursor != nil
            #expect(listed.count == expected.orders)

            // Figures rebuilt from the order rows (what the migration does) equal the kept ones.
            try await server.database.write { sql in
                try await sql.raw("DELETE FROM order_figures").run()
                try await OrderFigures.backfill(sql: sql)
            }
            #expect(OrderScenario.actual(try await client.admin("/admin/api/stats").json()) == expected)
        }
    }

    @Test func badRangesAndBasesAreRefusedWithTheReason() async throws {
        try await TestServer.run(try await WebhookTesting.configuration(.sqlite)) { _, client in
            for query in ["since=yesterday", "since=2024-03-01T10:00:00Z", "until=2024-13-01", "basis=weekly", "since=2024-03-05&until=2024-03-01"] {
                let response = try await client.admin("/admin/api/stats?\(query)")
                #expect(response.status == .badRequest, "\(query)")
                #expect(try response.errorBody().error == "invalid_parameter", "\(query)")
            }
            #expect(try await client.admin("/admin/api/stats", token: nil).status == .unauthorized)
            let empty = try await client.admin("/admin/api/stats").json()
            #expect(empty["orders"] == .number("0"))
            #expect(empty["revenue"] == .string("0.00"))
        }
    }

    @Test func totalsAreExactDecimalsPastAFloatsPrecision() async throws {
        try await TestServer.run(try await WebhookTesting.configuration(.sqlite)) { _, client in
            // 0.1 + 0.2 is not 0.3 in binary floating point; 9007199254740993 is past a double's integers.
            for (id, amount) in [("1", "0.1"), ("2", "0.2"), ("3", "9007199254740993.01")] {
                #expect(try await client.postWebhook(WebhookBodies.order(id: id, amount: amount)).status == .ok)
            }
            let stats = try await client.admin("/admin/api/stats").json()
            #expect(stats["revenue"] == .string("9007199254740993.31"))
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func theOrdersListingSearchesOrderAndThingIdsOnTheServer(kind: TestDatabaseKind) async throws {
        try await TestServer.run(try await WebhookTesting.configuration(kind)) { _, client in
            for (id, thing) in [("101", "7"), ("102", "8"), ("103", "101"), ("104", "7")] {
                #expect(try await client.postWebhook(WebhookBodies.order(id: id, thingID: thing)).status == .ok)
            }
            #expect(try await client.postWebhook(WebhookBodies.order("order_refunded", id: "104", thingID: "7")).status == .ok)
            func ids(_ query: String) async throws -> [String] {
                let json = try await client.admin("/admin/api/orders?\(query)").json()
                guard case .array(let orders)? = json["orders"] else { return ["unexpected \(json)"] }
                return orders.compactMap { if case .number(let id)? = $0["order_id"] { id } else { nil } }
            }
            #expect(try await ids("q=101") == ["103", "101"])  // order 101, and order 103 of thing 101
            #expect(try await ids("q=%23102") == ["102"])
            #expect(try await ids("thing_id=7") == ["104", "101"])
            #expect(try await ids("thing_id=7&state=refunded") == ["104"])
            #expect(try await ids("q=999") == [])
            #expect(try await ids("thing_id=7&limit=1").count == 1)
            let bad = try await client.admin("/admin/api/orders?q=abc")
            #expect(bad.status == .badRequest)
            #expect(try bad.errorBody().error == "invalid_parameter")
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func aTimeRangeListingPagesNewestFirstWithoutGapsOrRepeats(kind: TestDatabaseKind) async throws {
        try await TestServer.run(try await WebhookTesting.configuration(kind)) { _, client in
            for id in 1...23 {
                #expect(try await client.postWebhook(WebhookBodies.order(id: String(id))).status == .ok)
            }
            var seen: [Int64] = []
            var cursor: String?
            repeat {
                let json = try await client.admin("/admin/api/events?since=2000-01-01&limit=5" + (cursor.map { "&cursor=\($0)" } ?? "")).json()
                guard case .array(let events)? = json["events"] else {
                    Issue.record("unexpected \(json)")
                    return
                }
                seen += events.compactMap { if case .number(let id)? = $0["id"] { Int64(id) } else { nil } }
                cursor = if case .string(let next)? = json["next_cursor"] { next } else { nil }
            } while cursor != nil
            #expect(seen.count == 23)
            #expect(Set(seen).count == 23)
            #expect(seen == seen.sorted(by: >))
            let none = try await client.admin("/admin/api/events?until=2000-01-01").json()
            #expect(none["events"] == .array([]))
            #expect(try await client.admin("/admin/api/events?since=2000-01-01&cursor=12").status == .badRequest)
        }
    }

    /// The reads behind the dashboard and its refresh use indexes in order: no scan of a table
    /// that grows with history and no sort of a range (SQLite's plans, which CI can read).
    @Test func adminReadsWalkIndexesRatherThanScanHistory() async throws {
        let database = try await TestDatabaseKind.sqlite.makeDatabase()
        let store = SQLWebhookEventStore(database: database)
        let queries: [String] = [
            "SELECT * FROM webhook_events WHERE received_at >= 0 AND received_at < 9 ORDER BY received_at DESC, id DESC LIMIT 51",
            "SELECT * FROM webhook_events WHERE received_at >= 0 AND received_at <= 5 AND (received_at < 5 OR id < 3) ORDER BY received_at DESC, id DESC LIMIT 51",
            "SELECT * FROM webhook_events WHERE source = 'thingiverse' ORDER BY id DESC LIMIT 501",
            "SELECT * FROM orders WHERE thing_id = 5 AND order_id < 9 ORDER BY order_id DESC LIMIT 51",
            "SELECT * FROM orders WHERE state = 'refunded' ORDER BY order_id DESC LIMIT 51",
            "SELECT day FROM order_figures WHERE basis = 'order' AND day >= '2024-01-01' ORDER BY day",
            "SELECT created_at FROM relay_deliveries WHERE endpoint_id = 'e' AND state = 'pending' ORDER BY created_at LIMIT 1",
            "SELECT id FROM relay_deliveries WHERE state <> 'pending' AND created_at < 5 ORDER BY created_at LIMIT 500",
            "SELECT id FROM webhook_quarantine WHERE received_at < 5 ORDER BY received_at LIMIT 500",
            "SELECT id FROM webhook_events e WHERE received_at < 5 AND confirmation_status <> 'pending' ORDER BY received_at, id LIMIT 500",
        ]
        for query in queries {
            let plan = try await database.read { sql in
                try await sql.raw("EXPLAIN QUERY PLAN \(unsafeRaw: query)").all().map { try $0.decode(column: "detail", as: String.self) }
            }.joined(separator: " | ")
            #expect(!plan.contains("TEMP B-TREE"), "\(query): \(plan)")
            #expect(
                !plan.contains("SCAN webhook_events") && !plan.contains("SCAN orders") && !plan.contains("SCAN relay_deliveries"), "\(query): \(plan)"
            )
        }
        _ = store
        await database.shutdown()
    }
}
