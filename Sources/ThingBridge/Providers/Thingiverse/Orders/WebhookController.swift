import Foundation
import Hummingbird

/// `POST /webhooks/thingiverse/:secret`: receives Thingiverse's order webhooks.
///
/// The secret in the URL is the only credential (Thingiverse signs nothing). The route
/// template, not the path, is what gets logged. A delivery is answered 2xx only once it is
/// committed; when the database cannot take it the answer is 503 so Thingiverse tries again.
public struct WebhookController<Context: RequestContext>: Sendable {
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
        let body = try await WebhookIntake.body(of: request, context: context, secrets: secrets, noun: "webhook")
        let receivedAt = Date()
        let delivery = try await WebhookIntake.parse(
            body, receivedAt: receivedAt, source: .thingiverse, noun: "delivery", store: store, with: WebhookDelivery.parse)
        if case .ping = delivery {
            return WebhookIntake.json(#"{"ok":true,"event":"ping"}"#)
        }
        let outcome = try await store.record(IncomingEvent(delivery: delivery, rawBody: body, receivedAt: receivedAt))
        if !outcome.duplicate {
            // The order projection stored a new order event as pending confirmation.
            if case .order = delivery, confirmsOrders { eventAwaitsConfirmation() }
            newEventStored()
        }
        return WebhookIntake.recorded(outcome)
    }
}
