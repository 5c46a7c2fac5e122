import Foundation
import Hummingbird
import NIOCore

/// `POST /webhooks/userecho/:secret`: receives UserEcho's hooks into the event log.
///
/// The secret in the URL says the hook is for this app; with `USERECHO_WEBHOOK_KEY` the
/// `X-UE-Signature` must also be right (checked in constant time before anything is stored).
/// A hook is answered 200 only once it is committed; 503 when the database cannot take it.
struct UserEchoHookController<Context: RequestContext>: Sendable {
    let secrets: WebhookSecretSet
    let signature: UserEchoSignature?
    let store: any WebhookEventStore
    /// Called after a new (not duplicate) hook was stored, to wake the relay.
    var newEventStored: @Sendable () -> Void = {}

    var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.post("webhooks/userecho/:secret", use: receive)
        return routes
    }

    func receive(request: Request, context: Context) async throws -> Response {
        guard let secret = context.parameters.get("secret"), secrets.contains(secret) else {
            throw AppError(.notFound, "not_found", "There is nothing at this address.")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: WebhookController<Context>.maximumBodySize)
        } catch is NIOTooManyBytesError {
            throw AppError(.contentTooLarge, "payload_too_large", "A hook body may be at most 256 KiB.")
        }
        let body = Array(buffer.readableBytesView)
        if let signature, !signature.isValid(request.headers[.init("X-UE-Signature")!], body: body) {
            throw AppError(.unauthorized, "bad_signature", "X-UE-Signature is missing or is not this body's signature under the configured key.")
        }
        let receivedAt = Date()
        let hook: UserEchoHookEvent
        do {
            hook = try UserEchoHookEvent.parse(body)
        } catch {
            _ = try await store.quarantine(rawBody: body, reason: error.reason, receivedAt: receivedAt, source: .userecho)
            throw AppError(.badRequest, "invalid_webhook", "The hook was kept in quarantine and not processed: \(error.reason).")
        }
        let outcome = try await store.record(IncomingEvent(delivery: hook, rawBody: body, receivedAt: receivedAt))
        if !outcome.duplicate { newEventStored() }
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: #"{"ok":true,"id":\#(outcome.id),"duplicate":\#(outcome.duplicate)}"#))
        )
    }
}
