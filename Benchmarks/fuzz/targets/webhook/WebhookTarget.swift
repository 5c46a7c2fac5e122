import Foundation

/// Webhook bodies of both sources: Thingiverse's order events (first byte even) and UserEcho's
/// hooks (odd); the rest of the input is the body.
///
/// Properties:
/// - a body becomes a typed event or a quarantine reason (a non-empty one), never a crash;
/// - only a body the JSON reader accepts becomes an event, and its event name is the body's;
/// - amounts stay exact: an order's amount and fees equal the body's text as decimals
///   (Foundation's `Decimal` as the judge), and their stored text reads back to the same amount;
/// - an order stores as it parsed: `serializedJSON` is `json.serialized`, and reading the
///   stored text back gives the same order;
/// - a dedupe key is the same for the same body and at most 256 bytes (it is a unique index in
///   both databases; PostgreSQL refuses index rows over about 2.7 KB).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWebhook(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let body = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let json = try? JSONParser.parse(body)
    if data[0] % 2 == 0 {
        checkThingiverse(body, json: json)
    } else {
        checkUserEcho(body, json: json)
    }
    return 0
}

private func checkThingiverse(_ body: [UInt8], json: JSONValue?) {
    let delivery: WebhookDelivery
    do {
        delivery = try WebhookDelivery.parse(body)
    } catch {
        property(!error.reason.isEmpty, "a Thingiverse body was quarantined without a reason")
        return
    }
    guard let json else {
        property(false, "a body the JSON reader refuses became the event \(delivery.eventName)")
        return
    }
    property(json["event"] == .string(delivery.eventName), "event name \(delivery.eventName) is not the body's")
    let key = delivery.dedupeKey(body: body)
    property(key == delivery.dedupeKey(body: body) && key.utf8.count <= 256, "dedupe key \(key.prefix(80))... (\(key.utf8.count) bytes)")
    guard case .order(_, let order) = delivery else { return }
    let members = json["order"]
    checkAmount(order.amount, members?["amount"], "amount")
    checkAmount(order.fees, members?["fees"], "fees")
    property(order.serializedJSON == order.json.serialized, "serializedJSON \(order.serializedJSON) is not json.serialized \(order.json.serialized)")
    let stored = try? JSONParser.parse(Array(order.serializedJSON.utf8))
    let reread = stored.flatMap { try? OrderDetails(json: $0) }
    property(reread == order, "the stored order \(order.serializedJSON) reads back differently")
}

private func checkAmount(_ amount: DecimalAmount?, _ value: JSONValue?, _ name: String) {
    let text: String
    switch value {
    case .string(let string)?: text = string
    case .number(let number)?: text = number
    default:
        property(amount == nil, "\(name) without a text in the body")
        return
    }
    guard let amount else {
        property(false, "\(name) \(text) present but not parsed")
        return
    }
    property(
        Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) == Decimal(string: amount.text, locale: Locale(identifier: "en_US_POSIX")),
        "\(name) \(text) became \(amount.text)")
    property(
        DecimalAmount(amount.text) == amount && DecimalAmount(amount.text)?.text == amount.text, "\(name) text \(amount.text) does not read back")
}

private func checkUserEcho(_ body: [UInt8], json: JSONValue?) {
    let event: UserEchoHookEvent
    do {
        event = try UserEchoHookEvent.parse(body)
    } catch {
        property(!error.reason.isEmpty, "a UserEcho body was quarantined without a reason")
        return
    }
    guard let json else {
        property(false, "a body the JSON reader refuses became the hook \(event.hook)")
        return
    }
    property(json["hook"] == .string(event.hook) && json["created"] == .string(event.created), "hook or created is not the body's")
    property(event.subjectID == nil && event.fieldsJSON == nil, "a UserEcho hook claims an order")
    let key = event.dedupeKey(body: body)
    property(key == event.dedupeKey(body: body) && key.utf8.count <= 256, "dedupe key \(key.prefix(80))... (\(key.utf8.count) bytes)")
}
