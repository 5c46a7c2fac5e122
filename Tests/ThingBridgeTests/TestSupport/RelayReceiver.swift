import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import Testing

@testable import ThingBridge

/// The app's own service as the relay sees it: a live server on port 0 that keeps every
/// request and answers as the test says (status, `Retry-After`, a delay), counting requests
/// for one `webhook-id` that overlap in time.
final class RelayReceiver: Sendable {
    struct Received: Sendable {
        let path: String
        let webhookID: String
        let timestamp: String
        let signature: String
        let contentType: String
        let body: [UInt8]
        let at: ContinuousClock.Instant
        /// The W3C `traceparent` header, sent when tracing is on.
        var traceParent: String? = nil

        /// The body as JSON.
        var json: JSONValue { (try? JSONParser.parse(body)) ?? .null }
    }

    /// How to answer a request: status, extra headers, and how long to wait first.
    struct Answer: Sendable {
        var status: HTTPResponse.Status = .noContent
        var retryAfter: String?
        var delay: Duration = .zero
    }

    private struct State {
        var received: [Received] = []
        var inFlight: [String: Int] = [:]
        var overlaps = 0
    }

    private let state = Mutex(State())
    private let policy: Mutex<@Sendable (_ index: Int, _ request: Received) -> Answer>

    init(_ policy: @escaping @Sendable (_ index: Int, _ request: Received) -> Answer = { _, _ in Answer() }) {
        self.policy = Mutex(policy)
    }

    func answer(_ policy: @escaping @Sendable (_ index: Int, _ request: Received) -> Answer) {
        self.policy.withLock { $0 = policy }
    }

    var received: [Received] { state.withLock { $0.received } }
    /// Requests that arrived while another with the same `webhook-id` was being answered.
    var overlaps: Int { state.withLock { $0.overlaps } }

    /// Runs `body` with the receiver listening; `baseURL` is like `http://127.0.0.1:40123`.
    func run<Value: Sendable>(_ body: @Sendable (_ baseURL: String) async throws -> Value) async throws -> Value {
        let router = Router()
        router.post("**") { [self] request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 1024 * 1024)
            let received = Received(
                path: request.uri.path, webhookID: request.headers[HTTPField.Name("webhook-id")!] ?? "",
                timestamp: request.headers[HTTPField.Name("webhook-timestamp")!] ?? "",
                signature: request.headers[HTTPField.Name("webhook-signature")!] ?? "", contentType: request.headers[.contentType] ?? "",
                body: Array(bytes.readableBytesView), at: .now, traceParent: request.headers[HTTPField.Name("traceparent")!])
            let index = state.withLock { state in
                state.received.append(received)
                if state.inFlight[received.webhookID, default: 0] > 0 { state.overlaps += 1 }
                state.inFlight[received.webhookID, default: 0] += 1
                return state.received.count - 1
            }
            let answer = policy.withLock { $0 }(index, received)
            if answer.delay > .zero { try? await Task.sleep(for: answer.delay) }
            state.withLock { $0.inFlight[received.webhookID, default: 1] -= 1 }
            var headers: HTTPFields = [:]
            if let retryAfter = answer.retryAfter { headers[.retryAfter] = retryAfter }
            return Response(status: answer.status, headers: headers)
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: Logger(label: "receiver"))
        return try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(client.port!)")
        }
    }

    /// Waits until at least `count` requests arrived (at most `limit`), then returns them all.
    @discardableResult
    func waitFor(_ count: Int, limit: Duration = .seconds(20)) async throws -> [Received] {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            let all = received
            if all.count >= count { return all }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("expected \(count) relayed requests, got \(received.count)")
        return received
    }
}

/// Standard Webhooks verification written from the spec, independently of ThingBridge's signer.
enum StandardWebhooksCheck {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

    static func verifies(_ request: RelayReceiver.Received, secret: String = Self.secret) -> Bool {
        guard let key = Data(base64Encoded: String(secret.dropFirst("whsec_".count))) else { return false }
        let signed = Array("\(request.webhookID).\(request.timestamp).".utf8) + request.body
        let expected = "v1," + Data(HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: key))).base64EncodedString()
        return request.signature.split(separator: " ").contains { $0 == expected }
    }
}

/// Waiting for the relay's rows.
enum RelayTesting {
    /// Polls `check` until it holds or `limit` passes.
    static func eventually(_ limit: Duration = .seconds(20), _ check: @Sendable () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if try await check() { return true }
            try await Task.sleep(for: .milliseconds(25))
        }
        return try await check()
    }

    /// Posts order `id` and waits until its relay delivery has failed for good; returns it.
    static func postOrderUntilItsDeliveryFails(
        id: String, server: ThingBridgeServer, client: some TestClientProtocol
    ) async throws -> StoredRelayDelivery {
        _ = try await client.postWebhook(WebhookBodies.order(id: id))
        #expect(try await eventually { try await deliveries(server.database).first?.state == .failed })
        return try #require(try await deliveries(server.database).first)
    }

    /// Posts order `id` and waits until its relay delivery has had its first attempt.
    static func postOrderUntilItsFirstAttempt(id: String, server: ThingBridgeServer, client: some TestClientProtocol) async throws {
        _ = try await client.postWebhook(WebhookBodies.order(id: id))
        #expect(try await eventually { try await deliveries(server.database).first?.totalAttempts == 1 })
    }

    static func deliveries(_ database: Database) async throws -> [StoredRelayDelivery] {
        try await SQLRelayStore(database: database).deliveries(RelayDeliveryQuery(page: PageQuery(limit: 500))).items
    }
}

extension JSONValue {
    /// An array element, for poking at admin answers.
    subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }
}
