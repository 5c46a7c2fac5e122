/// An order webhook an API write caused (e.g. `PATCH /orders/{id}`), waiting to be sent to
/// the app's `webhookURL`.
struct OutgoingWebhook: Sendable {
    var event: String
    var url: String
    var body: [UInt8]
}
