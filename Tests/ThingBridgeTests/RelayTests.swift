import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Prometheus
import Synchronization
import Testing

@testable import ThingBridge

/// The relay: every new event to the app's own services, signed per Standard Webhooks, at least once.
@Suite struct RelayTests {
    /// A server relaying to `url` with the test secret.
    static func configuration(_ kind: TestDatabaseKind = .sqlite, url: String, schedule: String = "0,0,0", _ overrides: [String: String] = [:])
        async throws -> ThingBridgeConfiguration
    {
        var environment = [
            "THINGBRIDGE_RELAY_ENDPOINTS": url, "THINGBRIDGE_RELAY_SECRET": StandardWebhooksCheck.secret,
            "THINGBRIDGE_RELAY_RETRY_SCHEDULE": schedule,
        ]
        environment.merge(overrides) { $1 }
        return try await WebhookTesting.configuration(kind, environment)
    }

    @Test(arguments: TestDatabaseKind.available)
    func aNewEventIsDeliveredSignedPerStandardWebhooks(kind: TestDatabaseKind) async throws {
        let receiver = RelayReceiver()
        try await receiver.run { base in
            try await TestServer.run(try await Self.configuration(kind, url: base + "/hooks/orders")) { server, client in
                let answer = try await client.postWebhook(WebhookBodies.order(id: "77")).webhookAnswer()
                let request = try #require(try await receiver.waitFor(1).first)
                #expect(request.path == "/hooks/orders")
                #expect(request.contentType == "application/json")
                #expect(StandardWebhooksCheck.verifies(request))
                #expect(!StandardWebhooksCheck.verifies(request, secret: "whsec_" + Data(repeating: 7, count: 24).base64EncodedString()))
                let timestamp = try #require(Int64(request.timestamp))
                #expect(abs(timestamp - Int64(Date().timeIntervalSince1970)) < 30)
                #expect(request.webhookID == "msg_\(answer.id)_\(RelayEndpoint.configuredID(url: base + "/hooks/orders"))")

                let body = request.json
                #expect(body["type"] == .string("thingiverse.order.created"))
                guard case .string(let stamp)? = body["timestamp"] else { Issue.record("no timestamp"); return }
                #expect(AdminTime.parse(stamp) != nil)
                #expect(body["data"]?["event"] == .string("order_created"))
                #expect(body["data"]?["order"]?["id"] == .string("77"))
                #expect(body["data"]?["thingbridge"]?["event_id"] == .number(String(answer.id)))
                #expect(body["data"]?["thingbridge"]?["order_state"] == .string("created"))

                #expect(try await RelayTesting.eventually { try await RelayTesting.deliveries(server.database).first?.state == .delivered })
                let listed = try await client.admin("/admin/api/relay/deliveries?state=delivered").json()
                #expect(listed["deliveries"]?[0]?["webhook_id"] == .string(request.webhookID))
                #expect(listed["deliveries"]?[0]?["last_status"] == .number("204"))
            }
        }
    }

    @Test func duplicatesPingsAndQuarantinedBodiesRelayNothing() async throws {
        let receiver = RelayReceiver()
        try await receiver.run { base in
            try await TestServer.run(try await Self.configuration(url: base + "/in")) { server, client in
                let body = WebhookBodies.order(id: "5")
                #expect(try await client.postWebhook(body).webhookAnswer().duplicate == false)
                #expect(try await client.postWebhook(body).webhookAnswer().duplicate == true)
                #expect(try await client.postWebhook(#"{"event":"ping"}"#).status == .ok)
                #expect(try await client.postWebhook(#"{"event": "order_created", "order": "#).status == .badRequest)
                try await receiver.waitFor(1)
                try await Task.sleep(for: .milliseconds(300))
                #expect(receiver.received.count == 1)
                #expect(try await RelayTesting.deliveries(server.database).count == 1)
            }
        }
    }

    @Test func aFailedAttemptIsRetriedWithTheSameWebhookIDHonouringRetryAfter() async throws {
        let receiver = RelayReceiver { index, _ in
            switch index {
            case 0: RelayReceiver.Answer(status: .internalServerError)
            case 1: RelayReceiver.Answer(status: .serviceUnavailable, retryAfter: "2")
            default: RelayReceiver.Answer(status: .ok)
            }
        }
        try await receiver.run { base in
            try await TestServer.run(try await Self.configuration(url: base + "/in", schedule: "0,0,0")) { server, client in
                _ = try await client.postWebhook(WebhookBodies.order(id: "9"))
                let requests = try await receiver.waitFor(3)
                #expect(Set(requests.map(\.webhookID)).count == 1)
                #expect(requests.allSatisfy { StandardWebhooksCheck.verifies($0) })
                // The schedule says 0 s, the endpoint said 2 s: it waited for the endpoint.
                #expect(requests[2].at - requests[1].at >= .milliseconds(1900))
                #expect(requests[1].at - requests[0].at < .seconds(2))

                #expect(try await RelayTesting.eventually { try await RelayTesting.deliveries(server.database).first?.state == .delivered })
                let delivery = try #require(try await RelayTesting.deliveries(server.database).first)
                let detail = try await client.admin("/admin/api/relay/deliveries/\(delivery.id)").json()
                #expect(detail["total_attempts"] == .number("3"))
                #expect(detail["history"]?[0]?["status"] == .number("500"))
                #expect(detail["history"]?[1]?["status"] == .number("503"))
                #expect(detail["history"]?[2]?["status"] == .number("200"))
            }
        }
    }

    @Test func afterTheLastAttemptTheDeliveryFailsAndARetrySendsItAgain() async throws {
        let receiver = RelayReceiver { _, _ in RelayReceiver.Answer(status: .badGateway) }
        try await receiver.run { base in
            try await TestServer.run(try await Self.configuration(url: base + "/in", schedule: "0")) { server, client in
                let failed = try await RelayTesting.postOrderUntilItsDeliveryFails(id: "10", server: server, client: client)
                #expect(receiver.received.count == 2)
                #expect(failed.lastError == "answered HTTP 502")
                #expect(failed.totalAttempts == 2)
                let listed = try await client.admin("/admin/api/relay/deliveries?state=failed").json()
                #expect(listed["deliveries"]?[0]?["id"] == .number(String(failed.id)))

                receiver.answer { _, _ in RelayReceiver.Answer(status: .accepted) }
                let retried = try await client.admin("/admin/api/relay/deliveries/\(failed.id)/retry", method: .post)
                #expect(retried.status == .ok)
                let requests = try await receiver.waitFor(3)
                #expect(requests[2].webhookID == requests[0].webhookID)
                #expect(try await RelayTesting.eventually { try await RelayTesting.deliveries(server.database).first?.state == .delivered })
            }
        }
    }

    @Test func goneDisablesTheEndpointUntilAReplay() async throws {
        let receiver = RelayReceiver { _, _ in RelayReceiver.Answer(status: .gone) }
        try await receiver.run { base in
            try await TestServer.run(try await Self.configuration(url: base + "/in", schedule: "0,0,0")) { server, client in
                _ = try await RelayTesting.postOrderUntilItsDeliveryFails(id: "11", server: server, client: client)
                #expect(receiver.received.count == 1)
                let endpoints = try await client.admin("/admin/api/relay/endpoints").json()
                #expect(endpoints["endpoints"]?[0]?["enabled"] == .bool(false))
                #expect(endpoints["endpoints"]?[0]?["disabled_reason"] == .string("answered 410 Gone"))
                #expect(endpoints["endpoints"]?[0]?["health"]?["failed"] == .number("1"))
                #expect(endpoints["endpoints"]?[0]?["health"]?["last_error"] == .string("the endpoint answered 410 Gone, so it was disabled"))
                // A disabled endpoint gets nothing new.
                _ = try await client.postWebhook(WebhookBodies.order("order_refunded", id: "11"))
                try await Task.sleep(for: .milliseconds(300))
                #expect(try await RelayTesting.deliveries(server.database).count == 1)

                receiver.answer { _, _ in RelayReceiver.Answer(status: .ok) }
                let endpointID = RelayEndpoint.configuredID(url: base + "/in")
                let replay = try await client.admin("/admin/api/relay/endpoints/\(endpointID)/replay?since=2000-01-01", method: .post)
                #expect(try replay.json()["queued"] == .number("2"))
                let requests = try await receiver.waitFor(3)
                #expect(Set(requests.map(\.webhookID)).count == 2)
                #expect(
                    try await RelayTesting.eventually {
                        try await RelayTesting.deliveries(server.database).allSatisfy { $0.state == .delivered }
                    })
            }
        }
    }

    @Test func aRefusedConnectionIsRetriedOnTheSchedule() async throws {
        try await TestServer.run(try await Self.configuration(url: "http://127.0.0.1:1/in", schedule: "3600")) { server, client in
            try await RelayTesting.postOrderUntilItsFirstAttempt(id: "12", server: server, client: client)
            let delivery = try #require(try await RelayTesting.deliveries(server.database).first)
            // A refused connection fails at once, not after a connect timeout of retries.
            let attempt = try #require(try await SQLRelayStore(database: server.database).delivery(id: delivery.id)?.attempts.first)
            #expect(attempt.durationMilliseconds < 2000)
            #expect(delivery.state == .pending)
            #expect(delivery.lastStatus == nil)
            #expect(delivery.lastError == "connection refused or the host cannot be reached")
            let wait = try #require(delivery.nextAttemptAt).timeIntervalSinceNow
            #expect(wait > 3500 && wait <= 3600 * 1.1)
        }
    }

    @Test func endpointsFromTheAdminAPIFilterTypesAndShowTheirSecretOnce() async throws {
        let receiver = RelayReceiver()
        try await receiver.run { base in
            try await TestServer.run(try await WebhookTesting.configuration(.sqlite)) { server, client in
                let admin: HTTPFields = [.authorization: "Bearer \(WebhookTesting.adminToken)", .contentType: "application/json"]
                let created = try await client.execute(
                    uri: "/admin/api/relay/endpoints", method: .post, headers: admin,
                    body: ByteBuffer(string: #"{"url": "\#(base)/refunds", "types": ["thingiverse.order.refund*", "thingiverse.order.refunded"]}"#))
                #expect(created.status == .badRequest)
                let added = try await client.execute(
                    uri: "/admin/api/relay/endpoints", method: .post, headers: admin,
                    body: ByteBuffer(string: #"{"url": "\#(base)/refunds", "types": ["thingiverse.order.refunded"]}"#))
                #expect(added.status == .created)
                guard case .string(let secret)? = try added.json()["secret"] else { Issue.record("no secret"); return }
                #expect(secret.hasPrefix("whsec_"))
                let all = try await client.execute(
                    uri: "/admin/api/relay/endpoints", method: .post, headers: admin, body: ByteBuffer(string: #"{"url": "\#(base)/all"}"#))
                #expect(all.status == .created)

                _ = try await client.postWebhook(WebhookBodies.order("order_created", id: "20"))
                _ = try await client.postWebhook(WebhookBodies.order("order_refunded", id: "20"))
                let requests = try await receiver.waitFor(3)
                try await Task.sleep(for: .milliseconds(300))
                #expect(receiver.received.count == 3)
                let refunds = requests.filter { $0.path == "/refunds" }
                #expect(refunds.count == 1)
                #expect(refunds.first?.json["type"] == .string("thingiverse.order.refunded"))
                #expect(refunds.allSatisfy { StandardWebhooksCheck.verifies($0, secret: secret) })
                #expect(requests.filter { $0.path == "/all" }.count == 2)

                let listing = try await client.admin("/admin/api/relay/endpoints")
                #expect(!listing.text.contains("whsec_"))
                #expect(!listing.text.contains(secret))
                // Rotation: both secrets sign for a while.
                let rotated = try await client.admin("/admin/api/relay/endpoints").json()
                guard case .string(let id)? = rotated["endpoints"]?[0]?["id"] else { Issue.record("no id"); return }
                let rotation = try await client.execute(uri: "/admin/api/relay/endpoints/\(id)/rotate-secret", method: .post, headers: admin)
                guard case .string(let newSecret)? = try rotation.json()["secret"] else { Issue.record("no new secret"); return }
                _ = try await client.postWebhook(WebhookBodies.order("order_refunded", id: "21"))
                let after = try await receiver.waitFor(5)
                let latest = try #require(after.last { $0.path == "/refunds" })
                #expect(StandardWebhooksCheck.verifies(latest, secret: newSecret))
                #expect(StandardWebhooksCheck.verifies(latest, secret: secret))
                #expect(latest.signature.split(separator: " ").count == 2)

                let removed = try await client.execute(uri: "/admin/api/relay/endpoints/\(id)", method: .delete, headers: admin)
                #expect(removed.status == .noContent)
                #expect(try await client.execute(uri: "/admin/api/relay/endpoints/\(id)", method: .delete, headers: admin).status == .notFound)
            }
        }
    }

    @Test func adminChangesWithACookieMustComeFromThisSite() async throws {
        let guardian = AdminGuard(
            token: nil, sessionCheck: FixedVerdict(verdict: .admin), sameOrigin: SameOriginPolicy(publicURL: "http://127.0.0.1:8080"))
        func request(_ method: HTTPRequest.Method, origin: String?) -> Request {
            var headers: HTTPFields = [:]
            if let origin { headers[.origin] = origin }
            return Request(
                head: HTTPRequest(method: method, scheme: "http", authority: "x", path: "/admin/api/relay/endpoints", headerFields: headers),
                body: .init(buffer: ByteBuffer()))
        }
        await #expect(throws: AppError.self) { try await guardian.authorize(request(.post, origin: "https://evil.example")) }
        try await guardian.authorize(request(.post, origin: "http://127.0.0.1:8080"))
        try await guardian.authorize(request(.get, origin: "https://evil.example"))
    }

    @Test func secretsAndEndpointURLsStayOutOfLogsListingsAndMetrics() async throws {
        let receiver = RelayReceiver { index, _ in RelayReceiver.Answer(status: index == 0 ? .internalServerError : .ok) }
        let logs = CapturedLogs()
        let registry = PrometheusCollectorRegistry()
        try await receiver.run { base in
            let url = base + "/in?token=endpoint-token-value"
            try await TestServer.run(try await Self.configuration(url: url), logs: logs, registry: registry) { server, client in
                _ = try await client.postWebhook(WebhookBodies.order(id: "30"))
                try await receiver.waitFor(2)
                #expect(try await RelayTesting.eventually { try await RelayTesting.deliveries(server.database).first?.state == .delivered })
                let metrics = registry.emitToString()
                let deliveries = try await client.admin("/admin/api/relay/deliveries").text
                let endpoints = try await client.admin("/admin/api/relay/endpoints").text
                let config = server.startupNotes.joined(separator: "\n")
                for text in [logs.all, metrics, deliveries, config] {
                    #expect(!text.contains(StandardWebhooksCheck.secret))
                    #expect(!text.contains("endpoint-token-value"))
                }
                #expect(!endpoints.contains(StandardWebhooksCheck.secret))
                #expect(metrics.contains(#"thingbridge_relay_attempts_total{endpoint="\#(RelayEndpoint.configuredID(url: url))",outcome="retry"} 1"#))
                #expect(logs.all.contains("relay: attempt failed"))
            }
        }
    }

    /// Relays order `id` to a receiver answering 503, retrying on `schedule`; once the first attempt
    /// failed, runs `beforeStop` on that server (given the endpoint's URL) and stops it. Then starts
    /// ThingBridge again on the same database with the receiver answering 200: the one delivery is
    /// sent a second time, with the first attempt's webhook-id.
    private static func expectTheDeliverySentAgainAfterARestart(
        id: String, schedule: String,
        beforeStop: @Sendable (ThingBridgeServer, _ endpointURL: String) async throws -> Void = { _, _ in }
    ) async throws {
        let receiver = RelayReceiver { _, _ in RelayReceiver.Answer(status: .serviceUnavailable) }
        try await receiver.run { base in
            let configuration = try await Self.configuration(url: base + "/in", schedule: schedule)
            try await TestServer.run(configuration) { server, client in
                try await RelayTesting.postOrderUntilItsFirstAttempt(id: id, server: server, client: client)
                try await receiver.waitFor(1)
                try await beforeStop(server, base + "/in")
            }
            receiver.answer { _, _ in RelayReceiver.Answer(status: .ok) }
            try await TestServer.run(configuration) { server, _ async throws in
                #expect(try await RelayTesting.eventually { try await RelayTesting.deliveries(server.database).first?.state == .delivered })
                #expect(receiver.received.count == 2)
                #expect(receiver.received[0].webhookID == receiver.received[1].webhookID)
            }
        }
    }

    @Test func pendingDeliveriesResumeAfterARestart() async throws {
        try await Self.expectTheDeliverySentAgainAfterARestart(id: "40", schedule: "1")
    }

    @Test func deliveriesLeasedWhenTheProcessDiedAreSentAtTheNextStartNotAfterTheirLease() async throws {
        // A retry a minute away, so only a released lease can make it due within the test.
        try await Self.expectTheDeliverySentAgainAfterARestart(id: "41", schedule: "60") { server, endpointURL in
            // What a process killed mid-attempt leaves behind: the retry claimed, its lease running.
            let claimed = try await SQLRelayStore(database: server.database).claim(
                endpointID: RelayEndpoint.configuredID(url: endpointURL), limit: 10, now: Date().addingTimeInterval(120), lease: .seconds(600))
            #expect(claimed.count == 1)
        }
    }

    @Test func userEchoHooksAreRelayedAsUserEchoTypes() async throws {
        let receiver = RelayReceiver()
        try await receiver.run { base in
            let configuration = try await Self.configuration(
                url: base + "/in",
                ["USERECHO_URL": "http://127.0.0.1:1", "USERECHO_API_KEY": "userecho-api-key", "USERECHO_WEBHOOK_SECRETS": UserEchoHookTests.secret])
            try await TestServer.run(configuration) { _, client in
                let hook = UserEchoHookTests.hook()
                #expect(try await UserEchoHookTests.post(client, hook, signature: nil).status == .ok)
                let request = try #require(try await receiver.waitFor(1).first)
                #expect(request.json["type"] == .string("userecho.topic.created"))
                #expect(request.json["data"]?["data"]?["header"] == .string("Support 0.2 mm nozzles"))
                #expect(request.json["data"]?["thingbridge"]?["order_state"] == nil)
            }
        }
    }

    @Test func twoInstancesOnOnePostgreSQLNeverSendOneDeliveryAtTheSameTime() async throws {
        guard TestDatabaseKind.available.contains(.postgres) else { return }
        // Every first attempt fails, so retries are up for grabs by both instances.
        let firsts = Mutex(Set<String>())
        let receiver = RelayReceiver { _, request in
            let first = firsts.withLock { $0.insert(request.webhookID).inserted }
            return RelayReceiver.Answer(status: first ? .internalServerError : .ok, delay: .milliseconds(30))
        }
        try await receiver.run { base in
            let location = try await TestDatabaseKind.postgres.makeLocation()
            let configuration = try await Self.configuration(
                url: base + "/in", schedule: "0,0,0", ["THINGBRIDGE_DATABASE_URL": location.urlForEnvironment])
            try await TestServer.run(configuration) { first, one async throws in
                try await TestServer.run(configuration) { _, two async throws in
                    for index in 0..<40 {
                        let client = index.isMultiple(of: 2) ? one : two
                        #expect(try await client.postWebhook(WebhookBodies.order(id: String(1000 + index))).status == .ok)
                    }
                    #expect(
                        try await RelayTesting.eventually(.seconds(60)) {
                            let deliveries = try await RelayTesting.deliveries(first.database)
                            return deliveries.count == 40 && deliveries.allSatisfy { $0.state == .delivered }
                        })
                    #expect(Set(receiver.received.map(\.webhookID)).count == 40)
                    #expect(receiver.overlaps == 0)
                }
            }
        }
    }
}

/// An ``AdminSessionCheck`` with a fixed answer.
private struct FixedVerdict: AdminSessionCheck {
    let verdict: AdminSessionVerdict
    func verdict(for request: Request) async -> AdminSessionVerdict { verdict }
}
