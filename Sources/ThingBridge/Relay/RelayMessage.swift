import Foundation

/// The body and id of a relayed event: `{"type", "timestamp", "data"}`, where `data` is the
/// event exactly as received with `"thingbridge": {"event_id", ...}` added (plus what the
/// event's projection adds, such as Thingiverse's `order_state`).
enum RelayMessage {
    /// The `webhook-id`: one per event and endpoint, the same on every retry and replay, so a
    /// receiver can drop repeats.
    static func id(eventID: Int64, endpointID: String) -> String {
        "msg_\(eventID)_\(endpointID)"
    }

    /// - Parameters:
    ///   - rawBody: the stored body (a JSON object for every stored event).
    ///   - annotations: what the event's projection adds, by key (``RelayAnnotation``).
    static func body(type: String, receivedAt: Date, eventID: Int64, annotations: [String: String] = [:], rawBody: [UInt8]) -> [UInt8] {
        var annotation: [String: JSONValue] = ["event_id": .number(String(eventID))]
        for (key, value) in annotations { annotation[key] = .string(value) }
        var output = Array(#"{"type":"#.utf8)
        output += JSONValue.string(type).serialized.utf8
        output += #","timestamp":"\#(AdminViews.time(receivedAt))","data":"#.utf8
        output += data(rawBody: rawBody, annotation: .object(annotation))
        output.append(UInt8(ascii: "}"))
        return output
    }

    /// The event's object with `thingbridge` added. The received bytes are kept as they are
    /// (key order, number spelling); only a body that already has the key, or is not an
    /// object, is rebuilt.
    private static func data(rawBody: [UInt8], annotation: JSONValue) -> [UInt8] {
        let parsed = try? JSONParser.parse(rawBody)
        guard case .object(let members)? = parsed, members["thingbridge"] == nil,
            let close = rawBody.lastIndex(of: UInt8(ascii: "}"))
        else {
            var members: [String: JSONValue] = [:]
            if case .object(let existing)? = parsed {
                members = existing
            } else {
                members["body"] = parsed ?? .string(String(decoding: rawBody, as: UTF8.self))
            }
            members["thingbridge"] = annotation
            return Array(JSONValue.object(members).serialized.utf8)
        }
        var output = Array(rawBody[..<close])
        if !members.isEmpty { output.append(UInt8(ascii: ",")) }
        output += #""thingbridge":"#.utf8
        output += annotation.serialized.utf8
        output.append(UInt8(ascii: "}"))
        return output
    }
}
