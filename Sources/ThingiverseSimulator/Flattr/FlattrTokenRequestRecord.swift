/// What the token endpoint received, for tests proving how the client authenticated.
public struct FlattrTokenRequestRecord: Sendable, Equatable {
    /// The client id from an `Authorization: Basic` header, or `nil` when there was none (or it
    /// could not be decoded).
    public var basicClientID: String?
    /// The sorted names of the body's parameters (form fields or JSON object keys).
    public var bodyFieldNames: [String]
    /// Whether a registered app's client secret appears anywhere in the raw body or query string
    /// (as it is, or percent-decoded): a client that leaks it there is refused.
    public var bodyContainsSecret: Bool
    /// Whether the call was answered with a token.
    public var succeeded: Bool

    /// A record with these facts.
    public init(basicClientID: String?, bodyFieldNames: [String], bodyContainsSecret: Bool, succeeded: Bool) {
        self.basicClientID = basicClientID
        self.bodyFieldNames = bodyFieldNames
        self.bodyContainsSecret = bodyContainsSecret
        self.succeeded = succeeded
    }
}
