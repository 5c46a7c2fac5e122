import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// ``OrderLookup`` over HTTP: `GET {apiURL}/orders/{id}` with the app token as bearer, through
/// the one way out (the configured wait, no redirects, Retry-After read once).
public struct ThingiverseOrderLookup: OrderLookup {
    let upstream: UpstreamClient
    let apiURL: String
    let token: Secret

    public init(upstream: UpstreamClient, apiURL: String, token: Secret) {
        self.upstream = upstream
        self.apiURL = apiURL.hasSuffix("/") ? String(apiURL.dropLast()) : apiURL
        self.token = token
    }

    public func order(id: Int64) async throws -> LookupResult {
        var request = HTTPClientRequest(url: "\(apiURL)/orders/\(id)")
        request.method = .GET
        request.headers.add(name: "Authorization", value: "Bearer \(token.value)")
        request.headers.add(name: "Accept", value: "application/json")
        let answer = try await upstream.data(request)
        switch answer.status {
        case 200:
            do {
                let json = try JSONParser.parse(answer.body.readableBytesView)
                return .found(try OrderDetails(json: json, prefix: "the order"))
            } catch let error as JSONParser.Failure {
                throw OrderLookupError.unreadableOrder(error.description)
            } catch let error as OrderDetails.Invalid {
                throw OrderLookupError.unreadableOrder(error.reason)
            }
        case 404:
            return .notFound
        default:
            throw OrderLookupError.unexpectedStatus(answer.status)
        }
    }
}
