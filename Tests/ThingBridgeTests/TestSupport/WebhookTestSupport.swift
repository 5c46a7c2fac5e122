import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SQLKit
import Synchronization
import Testing

@testable import ThingBridge

/// Webhook bodies shaped like Thingiverse's documentation (string fields), with the knobs the tests turn.
enum WebhookBodies {
    /// `{"event": EVENT, "order": {...}}` with every documented field as a string.
    static func order(
        _ event: String = "order_created",
        id: String = "1234",
        thingID: String = "5678",
        amount: String = "14.53",
        fees: String = "0.54",
        addDate: String = "2016-04-28 16:28:40",
        modifiedDate: String? = "2016-04-29 08:03:38",
        extra: String = ""
    ) -> String {
        let modified = modifiedDate.map { #""modified_date": "\#($0)","# } ?? ""
        return """
            {
                "event": "\(event)",
                "order": {
                    "id": "\(id)",
                    "thing_id": "\(thingID)",
                    "amount": "\(amount)",
                    "add_date": "\(addDate)",
                    \(modified)
                    "charges": [{"id": "ch_1", "amount": "\(amount)"}],
                    "fees": "\(fees)",
                    "validated_shipping_address": "123 Some St., Somecity, Somestate, 12345",
                    "is_shipped": "true",
                    "status": "status",
                    \(extra)
                    "note": "a note"
                }
            }
            """
    }

    /// The docs' "New Order Created" sample exactly as published: no comma after the event name,
    /// and a placeholder where the charges array goes.
    static let documentationSample = """
        {
            "event": "order_created"
            "order": {
                "id": "1234",
                "thing_id": "1234",
                "amount": "14.53",
                "add_date": "2016-04-28 16:28:40",
                "modified_date": "2016-04-29 08:03:38",
                "charges": [array of charges],
                "fees": "0.54",
                "validated_shipping_address": "123 Some St., Somecity, Somestate, 12345",
                "is_shipped": "true",
                "status": "status",
                "note": "a note"
            }
        }
        """
}

extension TestClientProtocol {
    /// POSTs `body` to the webhook URL with `secret`.
    func postWebhook(_ body: String, secret: String = TestEnvironment.webhookSecret) async throws -> TestResponse {
        try await postWebhook(bytes: Array(body.utf8), secret: secret)
    }

    func postWebhook(bytes: [UInt8], secret: String = TestEnvironment.webhookSecret) async throws -> TestResponse {
        try await execute(
            uri: "/webhooks/thingiverse/\(secret)", method: .post,
            headers: [.contentType: "application/json"], body: ByteBuffer(bytes: bytes)
        )
    }

    /// A request (GET unless told) to the admin API with the bearer token.
    func admin(_ path: String, method: HTTPRequest.Method = .get, token: String? = WebhookTesting.adminToken) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await execute(uri: path, method: method, headers: headers)
    }
}

/// The `{"ok", "id", "duplicate"}` answer of a stored delivery.
struct WebhookAnswer: Decodable, Equatable {
    let ok: Bool
    let id: Int64
    let duplicate: Bool
}

extension TestResponse {
    func webhookAnswer() throws -> WebhookAnswer {
        try JSONDecoder().decode(WebhookAnswer.self, from: Data(body.readableBytesView))
    }

    /// The body as a JSON value, for poking at admin answers.
    func json() throws -> JSONValue {
        try JSONParser.parse(body.readableBytesView)
    }
}

enum WebhookTesting {
    static let adminToken = "test-admin-token-0123456789"

    /// A server configuration on a fresh database of `kind`, with an admin token.
    static func configuration(_ kind: TestDatabaseKind, _ overrides: [String: String] = [:]) async throws -> ThingBridgeConfiguration {
        var environment = ["THINGBRIDGE_ADMIN_TOKEN": adminToken]
        environment.merge(overrides) { $1 }
        return try await TestEnvironment.serverConfiguration(database: try await kind.makeLocation(), environment)
    }

    /// Row counts of the webhook tables.
    static func counts(_ database: Database) async throws -> (events: Int, orders: Int, quarantine: Int) {
        try await database.read { sql in
            func count(_ table: String) async throws -> Int {
                try await sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()!.decode(column: "n", as: Int.self)
            }
            return (try await count("webhook_events"), try await count("orders"), try await count("webhook_quarantine"))
        }
    }
}

/// An ``OrderLookup`` answering from a table, recording what it was asked.
final class FakeOrderLookup: OrderLookup {
    enum Answer: Sendable {
        case order(OrderDetails)
        case notFound
        case failure(OrderLookupError)
    }

    private let answers: Mutex<[Int64: Answer]>
    private let asked = Mutex<[Int64]>([])

    init(_ answers: [Int64: Answer] = [:]) {
        self.answers = Mutex(answers)
    }

    var lookups: [Int64] { asked.withLock { $0 } }

    func set(_ id: Int64, _ answer: Answer) {
        answers.withLock { $0[id] = answer }
    }

    func order(id: Int64) async throws -> LookupResult {
        asked.withLock { $0.append(id) }
        switch answers.withLock({ $0[id] }) ?? .notFound {
        case .order(let order): return .found(order)
        case .notFound: return .notFound
        case .failure(let error): throw error
        }
    }
}

/// An ``AdminSessionCheck`` that gives the same verdict to everyone.
struct FixedSessionCheck: AdminSessionCheck {
    let verdict: AdminSessionVerdict

    func verdict(for request: Request) async -> AdminSessionVerdict { verdict }
}

/// A stand-in for Thingiverse's `GET /orders/{id}` on a real socket, for the HTTP lookup.
enum FakeOrdersAPI {
    /// Runs the fake API with `orders` (id → JSON body) and calls `test` with its base URL and
    /// the Authorization headers it has seen.
    static func run<Value: Sendable>(
        orders: [Int64: String],
        _ test: @Sendable (_ baseURL: String, _ authorizations: @Sendable () -> [String]) async throws -> Value
    ) async throws -> Value {
        let seen = Mutex<[String]>([])
        let router = Router()
        router.get("orders/:id") { request, context -> Response in
            seen.withLock { $0.append(request.headers[.authorization] ?? "") }
            guard let id = context.parameters.get("id", as: Int64.self), let body = orders[id] else {
                return Response(status: .notFound, body: .init(byteBuffer: ByteBuffer(string: #"{"error":"Not Found"}"#)))
            }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        return try await app.test(.live) { client in
            try await test("http://127.0.0.1:\(client.port!)", { seen.withLock { $0 } })
        }
    }
}
