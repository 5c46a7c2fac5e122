import Foundation
import Hummingbird

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
        let body = try await WebhookIntake.body(of: request, context: context, secrets: secrets, noun: "hook")
        if let signature, !signature.isValid(request.headers[.init("X-UE-Signature")!], body: body) {
            throw AppError(.unauthorized, "bad_signature", "X-UE-Signature is missing or is not this body's signature under the configured key.")
        }
        let receivedAt = Date()
        let hook = try await WebhookIntake.parse(
            body, receivedAt: receivedAt, source: .userecho, noun: "hook", store: store, with: UserEchoHookEvent.parse)
        let outcome = try await store.record(IncomingEvent(delivery: hook, rawBody: body, receivedAt: receivedAt))
        if !outcome.duplicate { newEventStored() }
        return WebhookIntake.recorded(outcome)
    }
}
