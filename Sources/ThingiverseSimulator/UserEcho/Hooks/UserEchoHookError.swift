/// Why `UserEchoSimulator.sendHook` could not build a hook.
public enum UserEchoHookError: Error, Sendable, Equatable {
    /// The name is none of the eight in `UserEchoHook.events`.
    case unknownEvent(String)
    /// A `topic.*` hook for a topic the simulator never had.
    case unknownTopic(Int)
    /// A `comment.*` hook for a comment the simulator never had.
    case unknownComment(Int)
}
