import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Remembers every body a test receiver got.
actor ReceivedBodies {
    private(set) var bodies: [[UInt8]] = []

    /// Stores the body; returns whether an identical body had arrived before.
    func record(_ body: [UInt8]) -> Bool {
        defer { bodies.append(body) }
        return bodies.contains(body)
    }
}

/// Runs a webhook receiver on a free port that records every body posted to `path` and answers
/// with `answer` (told whether the body is a byte-identical repeat); hands `test` the receiver's
/// URL and the bodies it got.
func withWebhookReceiver(
    path: String,
    answer: @escaping @Sendable (_ repeated: Bool) -> Response = { _ in Response(status: .ok) },
    _ test: @Sendable (_ url: String, _ received: ReceivedBodies) async throws -> Void
) async throws {
    let received = ReceivedBodies()
    let router = Router()
    router.post(RouterPath(path)) { request, _ -> Response in
        var request = request
        let body = try await request.collectBody(upTo: 1 << 20)
        return answer(await received.record(Array(body.readableBytesView)))
    }
    let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    try await app.test(.live) { client in
        let port = try #require(client.port)
        try await test("http://127.0.0.1:\(port)\(path)", received)
    }
}

/// The event name and the order of an order webhook's JSON body.
func decodedOrderWebhook(_ body: [UInt8]) throws -> (event: String, order: [String: Any]) {
    let json = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
    return (try #require(json["event"] as? String), try #require(json["order"] as? [String: Any]))
}
