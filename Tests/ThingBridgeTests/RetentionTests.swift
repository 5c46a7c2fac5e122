import Foundation
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Testing

@testable import ThingBridge

/// Retention (`THINGBRIDGE_RETENTION_*`): old rows go, orders and figures stay exactly as they were.
@Suite struct RetentionTests {
    /// Everything about every order except when it was received (two servers receive at different times).
    static func orders(_ database: Database) async throws -> [String] {
        let store = SQLOrderStore(database: database)
        var all: [String] = []
        var cursor: String?
        repeat {
            let page = try await store.orders(OrderQuery(page: PageQuery(limit: 500, cursor: cursor)))
            all += page.items.map {
                "\($0.orderID) \($0.state) \($0.thingID ?? -1) \($0.amount ?? "-") \($0.fees ?? "-") \($0.addDate ?? "-") \($0.modifiedDate ?? "-") \($0.creationSeen) \($0.eventCount)"
            }
            cursor = page.nextCursor
        } while cursor != nil
        return all
    }

    /// The stats without the per-received-day basis (the two servers receive at different times).
    static func stats(_ client: any TestClientProtocol) async throws -> OrderScenario.Expected {
        OrderScenario.actual(try await client.admin("/admin/api/stats").json())
    }

    @Test(arguments: TestDatabaseKind.available)
    func pruningEventsKeepsEveryOrderAndTheFiguresAsIfNothingWasPruned(kind: TestDatabaseKind) async throws {
        let scenario = OrderScenario(count: 80, seed: 7)
        // Each delivery once, split in two: the second half arrives after the first was pruned.
        var bodies = Set<String>()
        let distinct = scenario.deliveries.filter { bodies.insert($0.body).inserted }
        let first = Array(distinct[..<(distinct.count / 2)])
        let second = Array(distinct[(distinct.count / 2)...])

        try await TestServer.run(try await WebhookTesting.configuration(kind)) { pruned, prunedClient in
            try await TestServer.run(try await WebhookTesting.configuration(kind)) { control, controlClient in
                try await OrderStatisticsTests.send(first, to: prunedClient)
                try await OrderStatisticsTests.send(first, to: controlClient)
                let ordersBefore = try await Self.orders(pruned.database)
                let statsBefore = try await Self.stats(prunedClient)

                // Everything is old enough tomorrow; small batches, as the service prunes.
                let retention = RetentionService(
                    store: SQLRetentionStore(database: pruned.database), policy: RetentionPolicy(eventsDays: 1, relayDays: 1, quarantineDays: 1),
                    batchSize: 7, pause: .zero, logger: CapturedLogs().logger())
                let pass = try await retention.runOnce(now: Date().addingTimeInterval(2 * 86_400))
                #expect(pass.events == first.count)
                #expect(try await WebhookTesting.counts(pruned.database).events == 0)

                #expect(try await Self.orders(pruned.database) == ordersBefore)
                #expect(try await Self.stats(prunedClient) == statsBefore)
                #expect(statsBefore == scenario.expected(delivered: first))

                // Later events fold into what the pruned ones added up to, exactly as into the events themselves.
                try await OrderStatisticsTests.send(second, to: prunedClient)
                try await OrderStatisticsTests.send(second, to: controlClient)
                #expect(try await Self.orders(pruned.database) == (try await Self.orders(control.database)))
                #expect(try await Self.stats(prunedClient) == (try await Self.stats(controlClient)))
                #expect(try await Self.stats(prunedClient) == scenario.expected(delivered: distinct))
            }
        }
    }

    /// Stores an order event straight into the log (no server, so no relay dispatcher races the test).
    static func record(_ store: SQLWebhookEventStore, id: Int) async throws {
        let bytes = Array(WebhookBodies.order(id: String(id)).utf8)
        _ = try await store.record(IncomingEvent(delivery: try WebhookDelivery.parse(bytes), rawBody: bytes, receivedAt: Date()))
    }

    /// A fresh database of `kind` with the event log (orders projected) and the relay store on it,
    /// and a relay endpoint that takes every event type.
    static func relayStores(
        _ kind: TestDatabaseKind
    ) async throws -> (database: Database, events: SQLWebhookEventStore, relay: SQLRelayStore, endpoint: RelayEndpoint) {
        let database = try await kind.makeDatabase()
        let relay = SQLRelayStore(database: database)
        let endpoint = try await relay.addEndpoint(url: "http://127.0.0.1:9/hook", types: RelayTypeFilter(stored: "*")).endpoint
        return (database, SQLWebhookEventStore(database: database, projections: [OrderProjection()]), relay, endpoint)
    }

    /// Thingiverse's projection keeps an order event however old while its confirmation is
    /// pending (``EventProjection/keptWhile``); once decided, it ages out like any other.
    @Test(arguments: TestDatabaseKind.available)
    func anEventAwaitingConfirmationIsKeptUntilItIsDecided(kind: TestDatabaseKind) async throws {
        let database = try await kind.makeDatabase()
        let events = SQLWebhookEventStore(database: database, projections: [OrderProjection(confirmsOrders: true)])
        for id in 1...3 { try await Self.record(events, id: id) }
        let orders = SQLOrderStore(database: database)
        let due = try await orders.claimDueConfirmations(limit: 10, now: Date(), lease: .seconds(60))
        #expect(due.count == 3)
        let decided = try #require(due.first { $0.order.id == 2 })
        try await orders.completeConfirmation(eventID: decided.eventID, result: .confirmed, now: Date())

        let batch = try await SQLRetentionStore(database: database).pruneEvents(receivedBefore: Date().addingTimeInterval(86_400))
        #expect(batch.deleted == 1)
        #expect(batch.lastID == decided.eventID)
        let left = try await events.events(EventQuery()).items
        #expect(left.map(\.subjectID).sorted { ($0 ?? 0) < ($1 ?? 0) } == [1, 3])
        #expect(left.allSatisfy { $0.confirmation == .pending })
        await database.shutdown()
    }

    @Test(arguments: TestDatabaseKind.available)
    func aPendingDeliveryIsNeverPrunedNorItsEvent(kind: TestDatabaseKind) async throws {
        let (database, events, relay, endpoint) = try await Self.relayStores(kind)
        for id in 1...6 { try await Self.record(events, id: id) }
        // Three of them went through; three are still pending.
        try await database.write { sql in
            try await sql.raw(
                """
                UPDATE relay_deliveries SET state = 'delivered', delivered_at = 1 WHERE event_id IN (
                    SELECT id FROM webhook_events WHERE order_id IN (1, 2, 3))
                """
            ).run()
        }
        #expect(try await relay.endpoints().first?.pending == 3)
        #expect(try await relay.endpoints().first?.delivered == 3)

        let retention = SQLRetentionStore(database: database)
        let tomorrow = Date().addingTimeInterval(86_400)
        let batch = try await retention.pruneEvents(receivedBefore: tomorrow)
        #expect(batch.deleted == 3)
        #expect(batch.deliveries == 3)
        #expect(try await retention.pruneRelay(createdBefore: tomorrow) == 0)
        let left = try await database.read { sql in
            try await sql.raw(
                "SELECT e.order_id, d.state FROM relay_deliveries d JOIN webhook_events e ON e.id = d.event_id ORDER BY e.order_id"
            ).all().map { "\(try $0.decode(column: "order_id", as: Int64.self)) \(try $0.decode(column: "state", as: String.self))" }
        }
        #expect(left == ["4 pending", "5 pending", "6 pending"])
        // The kept counters followed every change.
        let status = try #require(try await relay.endpoints().first { $0.endpoint.id == endpoint.id })
        #expect((status.pending, status.delivered, status.failed) == (3, 0, 0))
        #expect(status.oldestPendingSince != nil)
        #expect(try await SQLOrderStore(database: database).order(id: 1)?.state == .created)
        await database.shutdown()
    }

    @Test(arguments: TestDatabaseKind.available)
    func finishedDeliveriesAndQuarantinedBodiesGoAfterTheirDays(kind: TestDatabaseKind) async throws {
        let (database, events, relay, _) = try await Self.relayStores(kind)
        for id in 1...4 { try await Self.record(events, id: id) }
        _ = try await events.quarantine(rawBody: Array("{".utf8), reason: "not JSON", receivedAt: Date(), source: .thingiverse)
        try await database.write { sql in
            try await sql.raw("UPDATE relay_deliveries SET state = 'failed' WHERE event_id IN (SELECT id FROM webhook_events WHERE order_id <= 2)")
                .run()
        }
        #expect(try await relay.endpoints().first?.failed == 2)
        let store = SQLRetentionStore(database: database)
        let soon = Date().addingTimeInterval(3600)
        #expect(try await store.pruneRelay(createdBefore: Date().addingTimeInterval(-3600)) == 0)
        #expect(try await store.pruneRelay(createdBefore: soon) == 2)
        #expect(try await store.pruneQuarantine(receivedBefore: soon) == 1)
        #expect(try await store.pruneQuarantine(receivedBefore: soon) == 0)
        let counts = try await WebhookTesting.counts(database)
        #expect(counts.events == 4 && counts.quarantine == 0)
        let status = try #require(try await relay.endpoints().first)
        #expect((status.pending, status.failed) == (2, 0))
        await database.shutdown()
    }

    /// Folding some of an order's events into a summary and the rest on top gives the facts of
    /// all of them, for any split, arrival order, missing field or tie (what pruning relies on).
    @Test func aSummaryOfSomeEventsPlusTheRestIsTheWhole() throws {
        var random = OrderScenario.Random(state: 99)
        for _ in 0..<400 {
            var events: [OrderFacts.Event] = []
            for index in 0..<(1 + random.below(6)) {
                var details = OrderDetails(id: 77)
                if random.below(3) > 0 { details.amount = DecimalAmount("\(random.below(50)).\(random.below(10))") }
                if random.below(3) > 0 { details.thingID = Int64(random.below(4)) }
                if random.below(3) > 0 { details.fees = DecimalAmount("0.\(random.below(9))") }
                if random.below(3) > 0 { details.addDate = OrderTimestamp("2024-01-0\(1 + random.below(3)) 10:00:00") }
                // Few distinct modified dates, so ties (broken by id) are common.
                if random.below(4) > 0 { details.modifiedDate = OrderTimestamp("2024-02-0\(1 + random.below(3)) 10:00:00") }
                events.append(
                    OrderFacts.Event(
                        id: Int64(index * 10 + random.below(10)), kind: OrderEventKind.allCases[random.below(3)], details: details,
                        receivedAt: Int64(random.below(1000))))
            }
            let whole = try #require(OrderFacts(events: events))
            let cut = random.below(events.count + 1)
            let earlier = PrunedOrderEvents(events: Array(events[..<cut]))
            // The summary survives its stored form.
            let stored = earlier.flatMap { PrunedOrderEvents(stored: $0.stored) }
            #expect(stored == earlier)
            if cut == events.count {
                #expect(OrderFacts(events: [], pruned: stored) == whole)
            } else {
                #expect(OrderFacts(events: Array(events[cut...]), pruned: stored) == whole)
            }
        }
    }

    /// The counters endpoint health reads follow every way a delivery changes: queued, delivered,
    /// retried, failed, sent again, replayed and pruned.
    @Test(arguments: TestDatabaseKind.available)
    func keptRelayCountersEqualTheDeliveriesAfterEveryChange(kind: TestDatabaseKind) async throws {
        let (database, events, relay, endpoint) = try await Self.relayStores(kind)
        let other = try await relay.addEndpoint(url: "http://127.0.0.1:9/other", types: RelayTypeFilter(stored: "*")).endpoint
        func check(_ step: String) async throws {
            let counted = try await database.read { sql in
                try await sql.raw("SELECT endpoint_id, state, COUNT(*) AS n FROM relay_deliveries GROUP BY endpoint_id, state").all().map {
                    (
                        "\(try $0.decode(column: "endpoint_id", as: String.self)) \(try $0.decode(column: "state", as: String.self))",
                        try $0.decode(column: "n", as: Int.self)
                    )
                }
            }
            let truth = Dictionary(uniqueKeysWithValues: counted)
            for status in try await relay.endpoints() {
                let id = status.endpoint.id
                #expect(status.pending == truth["\(id) pending"] ?? 0, "\(step): pending of \(id)")
                #expect(status.delivered == truth["\(id) delivered"] ?? 0, "\(step): delivered of \(id)")
                #expect(status.failed == truth["\(id) failed"] ?? 0, "\(step): failed of \(id)")
            }
        }
        for id in 1...6 { try await Self.record(events, id: id) }
        try await check("queued")
        let now = Date()
        let tasks = try await relay.claim(endpointID: endpoint.id, limit: 6, now: now, lease: .seconds(60))
        #expect(tasks.count == 6)
        let outcomes: [RelayAttemptOutcome] = [
            .delivered(status: 200), .delivered(status: 204), .failed(status: 500, error: "HTTP 500"),
            .retry(at: now, status: nil, error: "connection refused"), .gone, .delivered(status: 200),
        ]
        _ = try await relay.complete(
            zip(tasks, outcomes).map { SQLRelayStore.Completion(task: $0, outcome: $1, attemptedAt: now, duration: .milliseconds(3)) })
        try await check("attempted")
        let status = try #require(try await relay.endpoints().first { $0.endpoint.id == endpoint.id })
        // The latest attempt (the batch's last) succeeded: no error shown, the delivery time kept.
        #expect(status.lastError == nil)
        #expect(status.lastDeliveredAt != nil)
        _ = try await relay.retry(deliveryID: tasks[2].deliveryID)
        try await check("retried")
        _ = try await relay.replay(endpointID: endpoint.id, since: Date(timeIntervalSince1970: 0))
        try await check("replayed")
        try await database.write { sql in
            try await sql.raw("UPDATE relay_deliveries SET state = 'delivered' WHERE endpoint_id = \(bind: other.id)").run()
        }
        #expect(try await SQLRetentionStore(database: database).pruneRelay(createdBefore: Date().addingTimeInterval(60)) == 6)
        try await check("pruned")
        try await relay.removeEndpoint(id: other.id)
        try await check("removed")
        await database.shutdown()
    }

    /// `events archive`: batches in (received, id) order cover every old event once, and
    /// `--prune` deletes no event newer than the last one written.
    @Test func theArchivePagesEveryOldEventOnceAndPrunesOnlyWhatItWrote() async throws {
        let database = try await TestDatabaseKind.sqlite.makeDatabase()
        let events = SQLWebhookEventStore(database: database, projections: [OrderProjection()])
        for id in 1...7 { try await Self.record(events, id: id) }
        var written: [Int64] = []
        var position: EventPosition?
        while true {
            let batch = try await events.events(receivedBefore: Date().addingTimeInterval(1), after: position, limit: 3)
            guard let last = batch.last else { break }
            written += batch.events.map(\.id)
            position = last
        }
        #expect(written == [1, 2, 3, 4, 5, 6, 7])
        #expect(try await events.events(receivedBefore: Date(timeIntervalSince1970: 0), after: nil, limit: 3).events.isEmpty)
        let batch = try await SQLRetentionStore(database: database).pruneEvents(receivedBefore: Date().addingTimeInterval(1), upTo: 4)
        #expect(batch.deleted == 4)
        #expect(try await WebhookTesting.counts(database).events == 3)
        #expect(try await SQLOrderStore(database: database).order(id: 2)?.eventCount == 1)
        await database.shutdown()
    }

    @Test func retentionSettingsAreReadAndChecked() async throws {
        let defaults = try await TestEnvironment.configuration([:])
        #expect(defaults.retention == RetentionPolicy(eventsDays: 0, relayDays: 30, quarantineDays: 90))
        let set = try await TestEnvironment.configuration([
            "THINGBRIDGE_RETENTION_EVENTS_DAYS": "400", "THINGBRIDGE_RETENTION_RELAY_DAYS": "0", "THINGBRIDGE_RETENTION_QUARANTINE_DAYS": "7",
        ])
        #expect(set.retention == RetentionPolicy(eventsDays: 400, relayDays: 0, quarantineDays: 7))
        let file = try await TestEnvironment.configuration([:], configFile: TestEnvironment.publicDirectory + "/../Config/thingbridge.json")
        #expect(file.retention == RetentionPolicy.defaults)
        do {
            _ = try await TestEnvironment.configuration(["THINGBRIDGE_RETENTION_EVENTS_DAYS": "-1"])
            Issue.record("a negative number of days was accepted")
        } catch let error as ConfigurationError {
            #expect(error.description.contains("THINGBRIDGE_RETENTION_EVENTS_DAYS"))
        }
    }
}

/// `thingbridge backup`: a consistent copy of the SQLite store while webhooks keep arriving.
@Suite struct BackupTests {
    @Test func aBackupUnderWebhookLoadHoldsEveryEventAcknowledgedBeforeItStarted() async throws {
        try await TestServer.run(try await WebhookTesting.configuration(.sqlite)) { server, client in
            let acknowledged = AcknowledgedEvents()
            let stop = AcknowledgedEvents()
            let backupPath = TestEnvironment.temporaryDirectory() + "/copy/thingbridge-backup.sqlite"
            try await withThrowingTaskGroup(of: Void.self) { group in
                for sender in 0..<6 {
                    group.addTask {
                        var id = sender * 100_000
                        while await stop.ids.isEmpty {
                            id += 1
                            let response = try await client.postWebhook(WebhookBodies.order(id: String(id)))
                            if response.status == .ok { await acknowledged.add(try response.webhookAnswer().id) }
                        }
                    }
                }
                // Let the load build up, then back up in its midst.
                while await acknowledged.ids.count < 300 { try await Task.sleep(for: .milliseconds(5)) }
                let before = await acknowledged.ids
                let bytes = try await server.database.backup(to: backupPath)
                #expect(bytes > 0)
                try await Task.sleep(for: .milliseconds(50))
                await stop.add(1)
                try await group.waitForAll()

                let copy = try await Database.open(.sqlite(path: backupPath), logger: CapturedLogs().logger())
                let stored = try await copy.read { sql in
                    Set(try await sql.raw("SELECT id FROM webhook_events").all().map { try $0.decode(column: "id", as: Int64.self) })
                }
                let integrity = try await copy.read { sql in
                    try await sql.raw("PRAGMA integrity_check").first()?.decode(column: "integrity_check", as: String.self)
                }
                let version = try await Migrator(database: copy).currentVersion()
                await copy.shutdown()
                #expect(before.isSubset(of: stored), "missing: \(before.subtracting(stored).count)")
                #expect(integrity == "ok")
                #expect(version == Migrator(database: server.database).latestVersion)
                #expect(await acknowledged.ids.count > before.count, "webhooks kept being answered while the backup ran")
            }
            // No temporary file is left beside the copy.
            let left = try FileManager.default.contentsOfDirectory(atPath: (backupPath as NSString).deletingLastPathComponent)
            #expect(left == ["thingbridge-backup.sqlite"])
        }
    }

    @Test func aPostgreSQLStoreIsSentToPgDump() async throws {
        guard TestDatabaseKind.available.contains(.postgres) else { return }
        let database = try await TestDatabaseKind.postgres.makeDatabase()
        await #expect(throws: Database.BackupError.self) { try await database.backup(to: TestEnvironment.temporaryDirectory() + "/x.sqlite") }
        await database.shutdown()
    }
}

/// Event ids answered 200, gathered from concurrent senders.
actor AcknowledgedEvents {
    private(set) var ids = Set<Int64>()
    func add(_ id: Int64) { ids.insert(id) }
}
