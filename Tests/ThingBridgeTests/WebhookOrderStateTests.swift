import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import ThingBridge

/// Each order's state and facts, whatever order and however often its events arrive.
@Suite struct WebhookOrderStateTests {
    static let arrivalOrders: [[OrderEventKind]] = [
        [.created, .refundRequested, .refunded],
        [.refunded, .refundRequested, .created],
        [.refundRequested, .refunded, .created],
        [.refunded, .created],
        [.created, .refunded, .created, .refundRequested, .refunded],
        [.refundRequested, .created],
        [.created, .created],
    ]

    @Test(arguments: TestDatabaseKind.available, arrivalOrders)
    func theFinalStateDoesNotDependOnArrivalOrder(kind: TestDatabaseKind, arrivals: [OrderEventKind]) async throws {
        try await TestServer.run(try await WebhookTesting.configuration(kind)) { server, client in
            for (step, event) in arrivals.enumerated() {
                // Each kind of event has its own modified_date; repeats are the same delivery again.
                let minute = OrderEventKind.allCases.firstIndex(of: event)!
                let response = try await client.postWebhook(
                    WebhookBodies.order(event.rawValue, id: "4242", modifiedDate: "2024-03-01 10:0\(minute):00"))
                #expect(response.status == .ok, "step \(step)")
            }
            let store = SQLOrderStore(database: server.database)
            let order = try #require(try await store.order(id: 4242))
            #expect(order.state == OrderState(events: arrivals))
            #expect(order.creationSeen == arrivals.contains(.created))
            #expect(order.eventCount == Set(arrivals).count)
            #expect(try await store.history(orderID: 4242).count == Set(arrivals).count)
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func aRefundBeforeItsCreationEndsRefundedWithTheNewestFacts(kind: TestDatabaseKind) async throws {
        try await TestServer.run(try await WebhookTesting.configuration(kind)) { server, client in
            let refund = WebhookBodies.order("order_refunded", id: "9", amount: "20.00", modifiedDate: "2024-03-02 00:00:00")
            let creation = WebhookBodies.order("order_created", id: "9", amount: "19.99", modifiedDate: "2024-03-01 00:00:00")
            #expect(try await client.postWebhook(refund).status == .ok)
            let store = SQLOrderStore(database: server.database)
            let early = try #require(try await store.order(id: 9))
            #expect(early.state == .refunded)
            #expect(!early.creationSeen)
            #expect(try await client.postWebhook(creation).status == .ok)
            let late = try #require(try await store.order(id: 9))
            #expect(late.state == .refunded)
            #expect(late.creationSeen)
            // Facts come from the newest modified_date, not the last arrival.
            #expect(late.amount == "20.00")
            #expect(late.modifiedDate == "2024-03-02 00:00:00")
        }
    }

    @Test(arguments: TestDatabaseKind.available)
    func concurrentEventsOfOneOrderAddUp(kind: TestDatabaseKind) async throws {
        try await TestServer.run(try await WebhookTesting.configuration(kind), mode: .live) { server, client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for round in 0..<10 {
                    for event in OrderEventKind.allCases {
                        group.addTask {
                            let body = WebhookBodies.order(event.rawValue, id: "31337", modifiedDate: "2024-03-01 10:00:0\(round)")
                            let response = try await client.postWebhook(body)
                            #expect(response.status == .ok)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let order = try #require(try await SQLOrderStore(database: server.database).order(id: 31337))
            #expect(order.state == .refunded)
            #expect(order.eventCount == 30)
        }
    }
}
