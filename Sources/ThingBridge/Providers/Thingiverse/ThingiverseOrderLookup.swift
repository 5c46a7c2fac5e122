import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

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

/// Why a lookup could not decide; the confirmation is retried with backoff.
public enum OrderLookupError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 429: the API's rate limit; `retryAfter` from the header when given.
    case rateLimited(retryAfter: Duration?)
    /// Any other status the lookup cannot interpret.
    case unexpectedStatus(Int)
    /// A 200 whose body is not an order.
    case unreadableOrder(String)

    public var description: String {
        switch self {
        case .rateLimited: "the Thingiverse API rate limit was reached"
        case .unexpectedStatus(let status): "the Thingiverse API answered \(status)"
        case .unreadableOrder(let reason): "the Thingiverse API's order could not be read: \(reason)"
        }
    }
}

/// ``OrderLookup`` over HTTP: `GET {apiURL}/orders/{id}` with the app token as bearer, through
/// the shared ``HTTPClient`` (no redirects, bounded waits).
public struct ThingiverseOrderLookup: OrderLookup {
    let client: HTTPClient
    let apiURL: String
    let token: Secret
    let timeout: TimeAmount

    public init(client: HTTPClient, apiURL: String, token: Secret, timeout: TimeAmount = .seconds(20)) {
        self.client = client
        self.apiURL = apiURL.hasSuffix("/") ? String(apiURL.dropLast()) : apiURL
        self.token = token
        self.timeout = timeout
    }

    public func order(id: Int64) async throws -> LookupResult {
        var request = HTTPClientRequest(url: "\(apiURL)/orders/\(id)")
        request.method = .GET
        request.headers.add(name: "Authorization", value: "Bearer \(token.value)")
        request.headers.add(name: "Accept", value: "application/json")
        let response = try await client.execute(request, timeout: timeout)
        switch response.status.code {
        case 200:
            let body = try await response.body.collect(upTo: 1024 * 1024)
            do {
                let json = try JSONParser.parse(body.readableBytesView)
                return .found(try OrderDetails(json: json, prefix: "the order"))
            } catch let error as JSONParser.Failure {
                throw OrderLookupError.unreadableOrder(error.description)
            } catch let error as OrderDetails.Invalid {
                throw OrderLookupError.unreadableOrder(error.reason)
            }
        case 404:
            return .notFound
        case 429:
            let retryAfter = response.headers.first(name: "Retry-After").flatMap(Int64.init).map { Duration.seconds($0) }
            throw OrderLookupError.rateLimited(retryAfter: retryAfter)
        default:
            throw OrderLookupError.unexpectedStatus(Int(response.status.code))
        }
    }
}
