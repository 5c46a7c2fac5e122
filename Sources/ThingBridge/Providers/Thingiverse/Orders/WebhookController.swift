import Foundation
import Hummingbird
import NIOCore

/// `POST /webhooks/thingiverse/:secret`: receives Thingiverse's order webhooks.
///
/// The secret in the URL is the only credential (Thingiverse signs nothing). The route
/// template, not the path, is what gets logged. A delivery is answered 2xx only once it is
/// committed; when the database cannot take it the answer is 503 so Thingiverse tries again.
public struct WebhookController<Context: RequestContext>: Sendable {
    /// Larger bodies are refused with 413 before anything is parsed.
    public static var maximumBodySize: Int { 256 * 1024 }

    let secrets: WebhookSecretSet
    let store: any WebhookEventStore
    /// Whether new order events wait for a check against the API (`THINGIVERSE_APP_TOKEN` set):
    /// the store's ``OrderProjection`` says the same.
    let confirmsOrders: Bool
    /// Called after an event was stored as pending confirmation, to wake the confirmer.
    let eventAwaitsConfirmation: @Sendable () -> Void
    /// Called after a new (not duplicate) event was stored, to wake the relay.
    let newEventStored: @Sendable () -> Void

    public init(
        secrets: [Secret],
        store: any WebhookEventStore,
        confirmsOrders: Bool = false,
        eventAwaitsConfirmation: @escaping @Sendable () -> Void = {},
        newEventStored: @escaping @Sendable () -> Void = {}
    ) {
        self.secrets = WebhookSecretSet(secrets)
        self.store = store
        self.confirmsOrders = confirmsOrders
        self.eventAwaitsConfirmation = eventAwaitsConfirmation
        self.newEventStored = newEventStored
    }

    public var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.post("webhooks/thingiverse/:secret", use: receive)
        return routes
    }

    func receive(request: Request, context: Context) async throws -> Response {
        guard let secret = context.parameters.get("secret"), secrets.contains(secret) else {
            throw AppError(.notFound, "not_found", "There is nothing at this address.")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: Self.maximumBodySize)
        } catch is NIOTooManyBytesError {
            throw AppError(.contentTooLarge, "payload_too_large", "A webhook body may be at most 256 KiB.")
        }
        let body = Array(buffer.readableBytesView)
        let receivedAt = Date()

        let delivery: WebhookDelivery
        do {
            delivery = try WebhookDelivery.parse(body)
        } catch {
            _ = try await store.quarantine(rawBody: body, reason: error.reason, receivedAt: receivedAt, source: .thingiverse)
            throw AppError(.badRequest, "invalid_webhook", "The delivery was kept in quarantine and not processed: \(error.reason).")
        }
        if case .ping = delivery {
            return Self.json(#"{"ok":true,"event":"ping"}"#)
        }
        let outcome = try await store.record(IncomingEvent(delivery: delivery, rawBody: body, receivedAt: receivedAt))
        if !outcome.duplicate {
            // The order projection stored a new order event as pending confirmation.
            if case .order = delivery, confirmsOrders { eventAwaitsConfirmation() }
            newEventStored()
        }
        return Self.json(#"{"ok":true,"id":\#(outcome.id),"duplicate":\#(outcome.duplicate)}"#)
    }

    private static func json(_ text: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }
}
