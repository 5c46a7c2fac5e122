/// A webhook registered with `POST hooks.json`: UserEcho posts `event` to `targetURL`.
public struct UserEchoHook: Sendable, Equatable {
    public var id: Int
    /// One of `UserEchoHook.events`, e.g. `topic.created`.
    public var event: String
    public var targetURL: String
    /// When it was registered, ISO 8601 with milliseconds.
    public var created: String

    /// The eight events UserEcho offers (`GET hooks/events.json`), in its order.
    public static let events = [
        "topic.created", "topic.accepted", "topic.deleted", "topic.satisfaction_changed",
        "topic.satisfaction_received", "comment.created", "comment.accepted", "comment.deleted",
    ]
}
