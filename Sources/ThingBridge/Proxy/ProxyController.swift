import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1

/// `/api/<path>` → `THINGIVERSE_API_URL/<path>` for signed-in browsers.
///
/// Only endpoints of the reference are forwarded, rebuilt from validated segments on the
/// configured host; the caller's token is added here (from the session, or a browser's own
/// token that tokeninfo says is ours); cookies never go up and `Set-Cookie` never comes down;
/// redirects are handed to the browser, never followed.
public struct ProxyController<Context: RequestContext>: Sendable {
    let allowList: EndpointAllowList
    let cookies: SessionCookies
    let verifier: BearerTokenVerifier
    let budget: ProxyBudget
    let client: HTTPClient
    let apiURL: String
    /// `PUBLIC_URL/api`: what upstream `Link` URLs are rewritten to.
    let publicAPIURL: String
    /// Origins whose pages may send unsafe requests with a cookie session: ours and the CORS list.
    let trustedOrigins: Set<String>
    let timeout: TimeAmount
    let metrics: ProxyMetrics

    static var requestBodyLimit: Int { 1024 * 1024 }
    static var bufferedResponseLimit: Int { 256 * 1024 }
    static var forwardedRequestHeaders: [HTTPField.Name] { [.accept, .contentType, .ifNoneMatch, .ifModifiedSince, .acceptLanguage] }
    static var returnedResponseHeaders: [String] {
        ["content-type", "etag", "last-modified", "cache-control", "location", "retry-after", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"]
    }

    public init(
        allowList: EndpointAllowList = EndpointAllowList(), cookies: SessionCookies, verifier: BearerTokenVerifier, budget: ProxyBudget,
        client: HTTPClient, apiURL: String, publicURL: String, corsOrigins: [String], timeout: Duration, metrics: ProxyMetrics
    ) {
        self.allowList = allowList
        self.cookies = cookies
        self.verifier = verifier
        self.budget = budget
        self.client = client
        self.apiURL = apiURL
        self.publicAPIURL = publicURL + "/api"
        self.trustedOrigins = Set(corsOrigins + [ThingBridgeConfiguration.origin(publicURL) ?? publicURL])
        self.timeout = .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000)
        self.metrics = metrics
    }

    public var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        for method in [HTTPRequest.Method.get, .post, .patch, .delete] {
            routes.on("**", method: method, use: forward)
        }
        return routes
    }

    /// Who is calling, and with which Thingiverse token.
    struct Caller {
        let userID: String
        let token: Secret
        let usesCookie: Bool
    }

    func forward(request: Request, context: Context) async throws -> Response {
        let match: EndpointAllowList.Match
        do {
            match = try allowList.match(method: request.method, rawPath: request.uri.path.dropFirst("/api".count))
        } catch {
            metrics.refused("allow_list")
            throw AppError(.notFound, "unknown_endpoint", "\(request.method.rawValue) on this path is not an endpoint of the Thingiverse API, so it is not forwarded.")
        }
        let caller = try await authenticate(request)
        if caller.usesCookie && !Self.isSafe(request.method) && !isTrustedOrigin(request) {
            metrics.refused("csrf")
            throw AppError(.forbidden, "cross_site_request", "Changes through the API must come from this site or an allowed origin.")
        }
        if case .refused(let retryAfter) = budget.spend(user: caller.userID) {
            metrics.refused("budget")
            throw AppError(
                .tooManyRequests, "rate_limited", "You have used your API budget for now. Try again in \(retryAfter) seconds.",
                headers: [.retryAfter: String(retryAfter)]
            )
        }
        let upstreamRequest = try await makeUpstreamRequest(request, path: match.path, token: caller.token)
        return try await send(upstreamRequest, endpoint: match.endpoint, caller: caller)
    }

    private func authenticate(_ request: Request) async throws -> Caller {
        if let session = try await cookies.session(from: request) {
            return Caller(userID: session.userID, token: session.token, usesCookie: true)
        }
        if let authorization = request.headers[.authorization], authorization.lowercased().hasPrefix("bearer ") {
            let token = Secret(String(authorization.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces))
            guard !token.value.isEmpty, token.value.utf8.count <= 512 else { throw unauthenticated() }
            switch try await verifier.verify(token) {
            case .accepted(let userID):
                return Caller(userID: userID, token: token, usesCookie: false)
            case .refused:
                metrics.refused("foreign_token")
                throw AppError(.unauthorized, "token_refused", "This token was not issued to this app (or is no longer valid). Sign in again.")
            }
        }
        throw unauthenticated()
    }

    private func unauthenticated() -> AppError {
        metrics.refused("unauthenticated")
        return AppError(.unauthorized, "not_signed_in", "Sign in with Thingiverse first (or send your token as Authorization: Bearer).")
    }

    static func isSafe(_ method: HTTPRequest.Method) -> Bool { method == .get || method == .head }

    /// Browsers send `Origin` with unsafe requests; a missing one is accepted only when
    /// `Sec-Fetch-Site` (if present) says the request is not cross-site.
    private func isTrustedOrigin(_ request: Request) -> Bool {
        if let origin = request.headers[.origin] {
            return trustedOrigins.contains(origin.lowercased())
        }
        if let site = request.headers[.secFetchSite] {
            return site == "same-origin" || site == "none"
        }
        return true
    }

    private func makeUpstreamRequest(_ request: Request, path: String, token: Secret) async throws -> HTTPClientRequest {
        var url = apiURL + path
        if let query = try Self.forwardedQuery(request.uri.query) {
            url += "?" + query
        }
        var upstream = HTTPClientRequest(url: url)
        upstream.method = HTTPMethod(rawValue: request.method.rawValue)
        for name in Self.forwardedRequestHeaders {
            if let value = request.headers[name] {
                upstream.headers.add(name: name.rawName, value: value)
            }
        }
        upstream.headers.add(name: "Authorization", value: "Bearer \(token.value)")
        if request.method == .post || request.method == .patch || request.method == .delete {
            let body = try await request.body.collect(upTo: Self.requestBodyLimit)
            if body.readableBytes > 0 {
                upstream.body = .bytes(body)
            }
        }
        return upstream
    }

    /// The query without `access_token` (the token goes in the header) and `callback` (no JSON-P).
    static func forwardedQuery(_ query: String?) throws -> String? {
        guard let query, !query.isEmpty else { return nil }
        guard query.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "#") }) else {
            throw AppError(.badRequest, "bad_query", "The query string has characters that must be percent-encoded.")
        }
        let kept = query.split(separator: "&").filter { pair in
            let name = (pair.split(separator: "=", maxSplits: 1).first.map(String.init) ?? "").removingPercentEncoding?.lowercased() ?? ""
            return name != "access_token" && name != "callback"
        }
        return kept.isEmpty ? nil : kept.joined(separator: "&")
    }

    private func send(_ upstreamRequest: HTTPClientRequest, endpoint: String, caller: Caller) async throws -> Response {
        let start = ContinuousClock.now
        let upstream: HTTPClientResponse
        do {
            upstream = try await client.execute(upstreamRequest, timeout: timeout)
        } catch {
            metrics.upstream(endpoint: endpoint, status: 0, duration: ContinuousClock.now - start)
            throw UpstreamError(transportError: error)
        }
        let status = Int(upstream.status.code)
        metrics.upstream(endpoint: endpoint, status: status, duration: ContinuousClock.now - start)

        let contentType = upstream.headers.first(name: "content-type")?.lowercased() ?? ""
        if contentType.contains("text/html") {
            // A challenge or error page where JSON belongs: say so instead of passing it on.
            _ = try? await upstream.body.collect(upTo: 1024 * 1024)
            throw UpstreamError.notAPI(status: status)
        }
        if status == 429 {
            budget.pause(user: caller.userID, seconds: upstream.headers.first(name: "retry-after").flatMap(Int.init) ?? 60)
        }
        var headers = HTTPFields()
        for name in Self.returnedResponseHeaders {
            for value in upstream.headers[name] {
                headers.append(HTTPField(name: HTTPField.Name(name)!, value: value))
            }
        }
        for value in upstream.headers["link"] {
            headers.append(HTTPField(name: HTTPField.Name("Link")!, value: rewriteLink(value)))
        }
        let body: ResponseBody
        if let length = upstream.headers.first(name: "content-length").flatMap(Int.init), length <= Self.bufferedResponseLimit {
            // Small answers (most API objects) go out in one write; larger ones stream through.
            body = ResponseBody(byteBuffer: try await upstream.body.collect(upTo: length))
        } else {
            body = ResponseBody(asyncSequence: upstream.body)
        }
        return Response(status: HTTPResponse.Status(code: status), headers: headers, body: body)
    }

    /// `<https://api.thingiverse.com/things?page=2>; rel="next"` → `<PUBLIC_URL/api/things?page=2>; rel="next"`.
    func rewriteLink(_ value: String) -> String {
        value.replacingOccurrences(of: "<" + apiURL + "/", with: "<" + publicAPIURL + "/")
    }
}
