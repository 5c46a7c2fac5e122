import Foundation
import Testing

@testable import ThingBridge

/// The store on its own: batches of concurrent deliveries, with and without batching.
@Suite struct WebhookStoreTests {
    static func incoming(_ body: String) throws -> IncomingEvent {
        let bytes = Array(body.utf8)
        return IncomingEvent(delivery: try WebhookDelivery.parse(bytes), rawBody: bytes, receivedAt: Date())
    }

    @Test(arguments: TestDatabaseKind.available, [true, false])
    func concurrentMixedDeliveriesGetOneNewRowPerKey(kind: TestDatabaseKind, batching: Bool) async throws {
        let database = try await kind.makeDatabase()
        let store = SQLWebhookEventStore(database: database, batching: batching, projections: [OrderProjection()])
        let orders = SQLOrderStore(database: database)
        let bodies = (0..<30).map { index in
            index < 15 ? WebhookBodies.order(id: "1") : WebhookBodies.order(OrderEventKind.allCases[index % 3].rawValue, id: String(100 + index % 5))
        }
        let outcomes = try await withThrowingTaskGroup(of: (String, RecordOutcome).self) { group in
            for body in bodies {
                group.addTask { (body, try await store.record(try Self.incoming(body))) }
            }
            return try await group.reduce(into: [(String, RecordOutcome)]()) { $0.append($1) }
        }
        let byBody = Dictionary(grouping: outcomes, by: \.0)
        for (body, answers) in byBody {
            #expect(Set(answers.map(\.1.id)).count == 1, "one id per delivery")
            #expect(answers.filter { !$0.1.duplicate }.count == 1, "exactly one new answer for \(body.prefix(40))")
        }
        let counts = try await WebhookTesting.counts(database)
        #expect(counts.events == byBody.count)
        // Orders 100...104 each saw some of the three kinds; order 1 only its creation.
        #expect(try await orders.order(id: 1)?.state == .created)
        for id: Int64 in 100...104 {
            let kinds = bodies.compactMap { body -> OrderEventKind? in
                guard case .order(let kind, let order)? = try? WebhookDelivery.parse(Array(body.utf8)), order.id == id else { return nil }
                return kind
            }
            #expect(try await orders.order(id: id)?.state == OrderState(events: kinds))
        }
        await database.shutdown()
    }
}
