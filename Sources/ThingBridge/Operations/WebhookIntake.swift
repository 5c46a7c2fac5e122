import Foundation
import Hummingbird
import NIOCore

/// The steps every webhook receiver shares (`/webhooks/<source>/:secret`): the secret in the URL,
/// the body within its limit, and the answer once the delivery is committed.
enum WebhookIntake {
    /// Larger bodies are refused with 413 before anything is parsed.
    static var maximumBodySize: Int { 256 * 1024 }

    /// The body of a delivery whose URL carries one of `secrets`; any other secret is 404, as if
    /// nothing were there.
    /// - Parameter noun: what the source calls a delivery, for the 413 message (`webhook`, `hook`).
    static func body(of request: Request, context: some RequestContext, secrets: WebhookSecretSet, noun: String) async throws -> [UInt8] {
        guard let secret = context.parameters.get("secret"), secrets.contains(secret) else {
            throw AppError(.notFound, "not_found", "There is nothing at this address.")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maximumBodySize)
        } catch is NIOTooManyBytesError {
            throw AppError(.contentTooLarge, "payload_too_large", "A \(noun) body may be at most 256 KiB.")
        }
        return Array(buffer.readableBytesView)
    }

    /// The delivery as `parse` reads it; one it refuses is kept in quarantine and answered 400 with the reason.
    /// - Parameter noun: what the source calls a delivery, for the message (`delivery`, `hook`).
    static func parse<Delivery>(
        _ body: [UInt8], receivedAt: Date, source: EventSource, noun: String, store: any WebhookEventStore,
        with parse: ([UInt8]) throws(DeliveryRejection) -> Delivery
    ) async throws -> Delivery {
        do {
            return try parse(body)
        } catch {
            _ = try await store.quarantine(rawBody: body, reason: error.reason, receivedAt: receivedAt, source: source)
            throw AppError(.badRequest, "invalid_webhook", "The \(noun) was kept in quarantine and not processed: \(error.reason).")
        }
    }

    /// `200 {"ok":true,"id":…,"duplicate":…}` for a committed delivery.
    static func recorded(_ outcome: RecordOutcome) -> Response {
        json(#"{"ok":true,"id":\#(outcome.id),"duplicate":\#(outcome.duplicate)}"#)
    }

    /// `200` with a small JSON body that is never cached.
    static func json(_ text: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }
}
