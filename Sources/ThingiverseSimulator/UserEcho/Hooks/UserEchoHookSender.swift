import AsyncHTTPClient
import Crypto
import NIOCore
import NIOHTTP1

/// Writes and posts hooks the way UserEcho does: the JSON body, `Content-Type: application/json`,
/// and `X-UE-Signature` when a webhook key is set. One attempt, no retries.
enum UserEchoHookSender {
    /// UserEcho's hook body: `{"hook": EVENT, "created": ISO8601, "data": OBJECT}` in compact JSON.
    static func body(event: String, created: String, data: JSONValue) -> [UInt8] {
        JSONValue.object([("hook", .string(event)), ("created", .string(created)), ("data", data)]).bytes
    }

    /// `X-UE-Signature`: lowercase hex of HMAC-SHA1 over the raw body, keyed with the UTF-8
    /// bytes of the webhook key.
    static func signature(body: [UInt8], key: String) -> String {
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: body, using: SymmetricKey(data: Array(key.utf8)))
        let digits = Array("0123456789abcdef")
        return String(mac.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] })
    }

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
            request.headers.add(name: "X-UE-Signature", value: signature(body: body, key: webhookKey))
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
