import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Sends webhook requests the way Thingiverse does: a JSON body POSTed to the app's URL.
public struct WebhookSender: Sendable {
    /// Longest wait for the receiver's response head.
    static let timeout = TimeAmount.seconds(10)
    /// Replies longer than this are cut off rather than collected.
    static let maximumReplySize = 64 * 1024

    let httpClient: HTTPClient

    /// - Parameter httpClient: the client to send with; the caller owns and shuts it down.
    public init(httpClient: HTTPClient) {
        self.httpClient = httpClient
    }

    /// POSTs `body` as `application/json` to `url`.
    /// - Returns: the receiver's status code and (up to 64 KiB of) its reply body.
    /// - Throws: when the receiver cannot be reached or does not answer in time.
    public func send(_ body: [UInt8], to url: String) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Thingiverse-Webhook-Simulator/1.0")
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await httpClient.execute(request, timeout: Self.timeout)
        var reply: [UInt8] = []
        for try await part in response.body {
            let room = Self.maximumReplySize - reply.count
            guard room > 0 else { continue }
            reply.append(contentsOf: part.readableBytesView.prefix(room))
        }
        return (Int(response.status.code), String(decoding: reply, as: UTF8.self))
    }

    /// Sends the scenario's events for order `orderID`, one after another.
    /// - Returns: each event with the status the receiver answered (non-2xx answers do not stop
    ///   the scenario; unreachable receivers throw).
    public func runScenario(
        _ scenario: WebhookScenario, to url: String, orderID: String
    ) async throws -> [(event: String, status: Int)] {
        var results: [(event: String, status: Int)] = []
        for event in scenario.events {
            let body = WebhookPayload.order(event: event, order: WebhookScenario.order(id: orderID, at: event))
            let (status, _) = try await send(body, to: url)
            results.append((event, status))
        }
        return results
    }
}
