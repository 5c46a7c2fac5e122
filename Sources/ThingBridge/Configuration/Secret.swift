/// A configured secret (client secret, session key, webhook secret, token).
///
/// Its `description` is always redacted, so string interpolation into a log line, an error or
/// `check-config` output cannot leak it; code that needs the value reads `value` explicitly.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The secret itself. Read it only where it is used (a request to Thingiverse, a comparison).
    public let value: String

    public init(_ value: String) {
        self.value = value
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}
