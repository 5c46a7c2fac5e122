import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ThingBridge

/// `/admin/api/...`: who may read it, and what it shows.
@Suite struct AdminAPITests {
    @Test func noCredentialsIs401AndAWrongTokenIs401() async throws {
        try await TestServer.run(try await WebhookTesting.configuration(.sqlite)) { _, client in
            for path in ["/admin/api/events", "/admin/api/events/1", "/admin/api/orders", "/admin/api/orders/1", "/admin/api/quarantine"] {
                let anonymous = try await client.admin(path, token: nil)
                #expect(anonymous.status == .unauthorized, "\(path)")
                #expect(anonymous.headers[.wwwAuthenticate] == "Bearer")
                #expect(try await client.admin(path, token: "wrong-token-0123456789").status == .unauthorized, "\(path)")
                #expect(try await client.admin(path, token: WebhookTesting.adminToken + "x").status == .unauthorized)
            }
            let basic = try await client.execute(uri: "/admin/api/events", method: .get, headers: [.authorization: "Basic YWRtaW46YWRtaW4="])
            #expect(basic.status == .unauthorized)
            #expect(try await client.admin("/admin/api/events").status == .ok)
        }
    }

    @Test func withoutAConfiguredTokenNoBearerIsAccepted() async throws {
        let configuration = try await TestEnvironment.serverConfiguration()
        try await TestServer.run(configuration) { _, client in
            let guessed = try await client.admin("/admin/api/events", token: "anything-at-all-0123")
            #expect(guessed.status == .unauthorized)
            let empty = try await client.admin("/admin/api/events", token: "")
            #expect(empty.status == .unauthorized)
        }
    }

    /// The admin check is added in one place, around the whole admin API: a route mounted beside
    /// it answers here with something other than 401.
    @Test func everyAdminRouteRefusesARequestWithoutCredentials() async throws {
        let configuration = try await TestEnvironment.serverConfiguration()
        try await TestServer.run(configuration) { server, client in
            let adminRoutes = server.routes.map { $0.split(separator: " ") }.filter { $0[1].hasPrefix("/admin/api/") }
            #expect(adminRoutes.count >= 15)
            for route in adminRoutes {
                let method = try #require(HTTPRequest.Method(String(route[0])))
                let path = String(route[1]).replacing(/:[A-Za-z_]+/, with: "1")
                let response = try await client.execute(uri: path, method: method)
                #expect(response.status == .unauthorized, "\(method) \(path)")
            }
        }
    }

    @Test(arguments: [(AdminSessionVerdict.admin, HTTPResponse.Status.ok), (.notAdmin, .forbidden), (.anonymous, .unauthorized)])
    func theSessionHookDecidesWhenNoTokenIsSent(verdict: AdminSessionVerdict, expected: HTTPResponse.Status) async throws {
        let database = try await TestDatabaseKind.sqlite.makeDatabase()
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: ErrorMiddleware(routeIndex: RouteIndex()))
        let guardian = AdminGuard(token: Secret(WebhookTesting.adminToken), sessionCheck: FixedSessionCheck(verdict: verdict))
        router.group("admin/api")
            .add(middleware: AdminGuardMiddleware(guardian: guardian))
            .addRoutes(AdminController(store: SQLWebhookEventStore(database: database), orders: SQLOrderStore(database: database)).endpoints)
        try await Application(router: router).test(.router) { client in
            let response = try await client.admin("/admin/api/orders", token: nil)
            #expect(response.status == expected)
            if expected == .forbidden {
                #expect(try response.errorBody().error == "forbidden")
            }
            // A valid token works whatever the session says; a wrong one never falls back to the session.
            #expect(try await client.admin("/admin/api/orders").status == .ok)
            #expect(try await client.admin("/admin/api/orders", token: "wrong-token-0123456789").status == .unauthorized)
        }
        await database.shutdown()
    }

    @Test(arguments: TestDatabaseKind.available)
    func eventsAreListedFilteredAndPaginated(kind: TestDatabaseKind) async throws {
        try await TestServer.run(try await WebhookTesting.configuration(kind)) { _, client in
            for id in 1...5 {
                #expect(try await client.postWebhook(WebhookBodies.order(id: String(id))).status == .ok)
            }
            #expect(try await client.postWebhook(WebhookBodies.order("order_refunded", id: "3")).status == .ok)

            let first = try await client.admin("/admin/api/events?limit=4").json()
            guard case .array(let page1)? = first["events"], case .string(let cursor)? = first["next_cursor"] else {
                Issue.record("unexpected listing \(first)")
                return
            }
            #expect(page1.count == 4)
            #expect(page1.first?["event"] == .string("order_refunded"))
            let second = try await client.admin("/admin/api/events?limit=4&cursor=\(cursor)").json()
            guard case .array(let page2)? = second["events"] else {
                Issue.record("unexpected listing \(second)")
                return
            }
            #expect(page2.count == 2)
            #expect(second["next_cursor"] == .null)

            let refunds = try await client.admin("/admin/api/events?event=order_refunded").json()
            #expect(refunds["events"].map { if case .array(let items) = $0 { items.count } else { -1 } } == 1)
            let ofOrder = try await client.admin("/admin/api/events?order_id=3").json()
            #expect(ofOrder["events"].map { if case .array(let items) = $0 { items.count } else { -1 } } == 2)
            let future = try await client.admin("/admin/api/events?since=2999-01-01T00:00:00Z").json()
            #expect(future["events"] == .array([]))
            let past = try await client.admin("/admin/api/events?until=2000-01-01").json()
            #expect(past["events"] == .array([]))
            let recent = try await client.admin("/admin/api/events?since=2000-01-01&until=2999-01-01").json()
            #expect(recent["events"].map { if case .array(let items) = $0 { items.count } else { -1 } } == 6)

            #expect(try await client.admin("/admin/api/events?limit=0").status == .badRequest)
            #expect(try await client.admin("/admin/api/events?since=yesterday").status == .badRequest)
            #expect(try await client.admin("/admin/api/events?cursor=abc").status == .badRequest)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func anEventShowsItsRawBodyAndAnOrderItsStateAndHistory(kind: TestDatabaseKind) async throws {
        try await TestServer.run(try await WebhookTesting.configuration(kind)) { _, client in
            let body = WebhookBodies.order(id: "1234")
            let id = try await client.postWebhook(body).webhookAnswer().id
            _ = try await client.postWebhook(WebhookBodies.order("refund_requested", id: "1234", modifiedDate: "2016-05-01 00:00:00"))

            let event = try await client.admin("/admin/api/events/\(id)").json()
            #expect(event["raw_body"] == .string(body))
            #expect(event["raw_body_encoding"] == .string("utf8"))
            #expect(event["fields"]?["amount"] == .string("14.53"))
            #expect(event["dedupe_key"] == .string("order_created:1234:2016-04-29T08:03:38Z"))
            #expect(event["confirmation"] == .string("unconfirmed"))
            // Thingiverse's shown columns are written on every event, absent values as null.
            #expect(event["confirmation_attempts"] == .number("0"))
            #expect(event["confirmation_detail"] == .null)
            #expect(event["order_id"] == .number("1234"))
            #expect(try await client.admin("/admin/api/events/999999").status == .notFound)

            let order = try await client.admin("/admin/api/orders/1234").json()
            #expect(order["order"]?["state"] == .string("refund_requested"))
            #expect(order["order"]?["amount"] == .string("14.53"))
            #expect(order["order"]?["thing_id"] == .number("5678"))
            guard case .array(let history)? = order["history"] else {
                Issue.record("no history in \(order)")
                return
            }
            #expect(history.map { $0["event"] } == [.string("order_created"), .string("refund_requested")])
            // The order is written with the admin views' keys, absent facts left out, and its
            // times as the same ISO 8601 text as its events'.
            guard case .object(let facts)? = order["order"] else {
                Issue.record("no order in \(order)")
                return
            }
            #expect(
                Set(facts.keys) == [
                    "order_id", "state", "thing_id", "amount", "fees", "add_date", "modified_date", "creation_seen", "event_count",
                    "first_received_at", "last_received_at",
                ])
            #expect(facts["first_received_at"] == history.first?["received_at"])
            #expect(facts["last_received_at"] == history.last?["received_at"])
            #expect(facts["event_count"] == .number("2"))
            #expect(try await client.admin("/admin/api/orders/42").status == .notFound)

            let orders = try await client.admin("/admin/api/orders?state=refund_requested").json()
            #expect(orders["orders"].map { if case .array(let items) = $0 { items.count } else { -1 } } == 1)
            #expect(try await client.admin("/admin/api/orders?state=lost").status == .badRequest)
        }
    }

    @Test func quarantinedBodiesAreShownWithTheirReasonAndBinaryAsBase64() async throws {
        try await TestServer.run(try await WebhookTesting.configuration(.sqlite)) { _, client in
            _ = try await client.postWebhook(WebhookBodies.documentationSample)
            let binary: [UInt8] = [0x7B, 0xFF, 0x00, 0x7D]
            _ = try await client.postWebhook(bytes: binary)
            let listing = try await client.admin("/admin/api/quarantine").json()
            guard case .array(let items)? = listing["quarantine"], items.count == 2 else {
                Issue.record("unexpected listing \(listing)")
                return
            }
            #expect(items[0]["raw_body_encoding"] == .string("base64"))
            #expect(items[0]["raw_body"] == .string(Data(binary).base64EncodedString()))
            #expect(items[1]["raw_body"] == .string(WebhookBodies.documentationSample))
            if case .string(let reason)? = items[1]["reason"] {
                #expect(reason.contains("expected ',' or '}'"))
            } else {
                Issue.record("no reason")
            }
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func exportIsEveryEventAsJSONLinesOldestFirst(kind: TestDatabaseKind) async throws {
        try await TestServer.run(try await WebhookTesting.configuration(kind)) { _, client in
            #expect(try await client.admin("/admin/api/events/export", token: nil).status == .unauthorized)
            let empty = try await client.admin("/admin/api/events/export")
            #expect(empty.status == .ok)
            #expect(empty.text.isEmpty)
            for id in 1...3 {
                #expect(try await client.postWebhook(WebhookBodies.order(id: String(id))).status == .ok)
            }
            #expect(try await client.postWebhook(WebhookBodies.order("order_refunded", id: "2")).status == .ok)

            let export = try await client.admin("/admin/api/events/export")
            #expect(export.status == .ok)
            #expect(export.headers[.contentType]?.hasPrefix("application/x-ndjson") == true)
            #expect(export.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            let lines = try export.text.split(separator: "\n").map { try JSONParser.parse(Array($0.utf8)) }
            #expect(lines.count == 4)
            #expect(lines.first?["event"] == .string("order_created"))
            #expect(lines.last?["event"] == .string("order_refunded"))
            #expect(lines.allSatisfy { $0["raw_body"] != nil })

            guard case .number(let firstID)? = lines.first?["id"] else {
                Issue.record("no id in \(export.text)")
                return
            }
            let rest = try await client.admin("/admin/api/events/export?after=\(firstID)")
            #expect(rest.text.split(separator: "\n").count == 3)
            #expect(try await client.admin("/admin/api/events/export?after=x").status == .badRequest)
        }
    }
}
