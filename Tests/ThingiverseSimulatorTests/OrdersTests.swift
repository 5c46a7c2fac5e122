import HTTPTypes
import HummingbirdTesting
import Testing
import ThingiverseSimulator

@Suite struct OrdersTests {
    @Test func eachAppSeesOnlyItsOwnOrders() async throws {
        let simulator = Fixture.simulator()
        let one = simulator.token(for: "alice_prints")
        let two = simulator.issueToken(user: "alice_prints", clientID: "client-two")
        try await withRouter(simulator) { client in
            let ordersOne = try await client.api(.get, "/orders", token: one).jsonArray()
            #expect(ordersOne.compactMap { $0["id"] as? String } == ["1234", "1235", "1236"])
            let ordersTwo = try await client.api(.get, "/orders/", token: two).jsonArray()
            #expect(ordersTwo.compactMap { $0["id"] as? String } == ["2234", "2235", "2236"])

            let own = try await client.getOK("/api/orders/1234", headers: bearer(one))
            let order = try own.jsonObject()
            #expect(order["amount"] as? String == "14.53")
            #expect(order["is_shipped"] as? String == "false")
            #expect(order["thing_id"] is String)
            #expect(order["charges"] is [Any])
            let addDate = try #require(order["add_date"] as? String)
            #expect(addDate.wholeMatch(of: /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/) != nil)

            let foreign = try await client.api(.get, "/orders/1234", token: two)
            #expect(foreign.status == .notFound)
            #expect(try foreign.jsonObject()["error"] as? String == "not_found")
        }
        #expect(simulator.orders(clientID: "client-one").map(\.id) == ["1234", "1235", "1236"])
    }

    @Test func foreignAudienceTokensSeeNoOrders() async throws {
        let simulator = Fixture.simulator()
        simulator.setFaults { $0.foreignAudience = true }
        try await withRouter(simulator, signedIn: "alice_prints") { client, token in
            let orders = try await client.api(.get, "/orders", token: token).jsonArray()
            #expect(orders.isEmpty)
        }
    }
}
