/// What one request to the simulated UserEcho carried, for tests proving which parameters
/// arrived where. Values are as received (not redacted): a test can hand an `sso_token` to
/// `UserEchoSimulator.decodeSSOToken(_:)`.
public struct UserEchoRequestRecord: Sendable, Equatable {
    /// The method that arrived, e.g. `POST`.
    public var method: String
    /// The full path (with the mount prefix), without the query string.
    public var path: String
    /// The query parameters, decoded (the last value of a repeated name wins).
    public var query: [String: String]
    /// The body's parameters, decoded from a form or a JSON object; JSON numbers and booleans
    /// are written as text, arrays and objects as compact JSON. Empty for other bodies.
    public var body: [String: String]
    /// The request's `Content-Type`, if it had one.
    public var contentType: String?
    /// Whether an `Authorization` header was sent (its value is not kept).
    public var hasAuthorizationHeader: Bool
}
