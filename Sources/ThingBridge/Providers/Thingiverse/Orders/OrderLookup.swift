/// Asks Thingiverse about an order: how an unsigned webhook gets verified.
public protocol OrderLookup: Sendable {
    /// The order as the API knows it. Throws when the API could not answer (network, 5xx, 429);
    /// the caller retries later.
    func order(id: Int64) async throws -> LookupResult
}

/// What the API said about an order.
public enum LookupResult: Sendable, Equatable {
    case found(OrderDetails)
    case notFound
}

/// Why a lookup could not decide; the confirmation is retried with backoff. (Transport
/// failures and the API's rate limit arrive as ``UpstreamError``s.)
public enum OrderLookupError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Any other status the lookup cannot interpret.
    case unexpectedStatus(Int)
    /// A 200 whose body is not an order.
    case unreadableOrder(String)

    public var description: String {
        switch self {
        case .unexpectedStatus(let status): "the Thingiverse API answered \(status)"
        case .unreadableOrder(let reason): "the Thingiverse API's order could not be read: \(reason)"
        }
    }
}
