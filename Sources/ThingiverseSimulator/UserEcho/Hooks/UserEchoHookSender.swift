import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Posts hooks the way UserEcho does: the JSON body, `Content-Type: application/json`, and
/// `X-UE-Signature` when a webhook key is set. One attempt, no retries.
enum UserEchoHookSender {
    /// UserEcho gives a receiver 10 seconds to answer.
    static let timeout = TimeAmount.seconds(10)
    /// Sends `body` to `url`.
    /// - Returns: the receiver's status code
    /// - Throws: when the receiver cannot be reached or does not answer in time
    static func send(_ body: [UInt8], to url: String, webhookKey: String?, using client: HTTPClient) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "UserEcho-Webhook-Simulator/1.0")
        if let webhookKey {
            request.headers.add(name: "X-UE-Signature", value: UserEchoHookDelivery.signature(body: body, key: webhookKey))
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await client.execute(request, timeout: timeout)
        // The reply body means nothing to UserEcho; read it to free the connection.
        do {
            for try await _ in response.body {}
        } catch {}
        return Int(response.status.code)
    }
}
