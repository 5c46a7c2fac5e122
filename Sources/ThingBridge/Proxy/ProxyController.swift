import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1

/// `/api/{provider}/<path>` → the provider's API for signed-in browsers (`/api/<path>` stays
/// Thingiverse's).
///
/// Only the provider's allow-listed endpoints are forwarded, rebuilt from validated segments
/// on the configured host; the caller's token is added here (from the session, or for
/// Thingiverse a browser's own token that tokeninfo says is ours); cookies never go up and
/// `Set-Cookie` never comes down; redirects are handed to the browser, never followed, with
/// the API's own `Link` and `Location` URLs rewritten to this proxy.
public struct ProxyController<Context: RequestContext>: Sendable {
    let target: ProxyTarget
    let cookies: SessionCookies
    /// Where this controller is mounted, e.g. `/api/flattr`.
    let mountPath: String
    /// `PUBLIC_URL` + `mountPath`: what the API's own URLs are rewritten to.
    let publicAPIURL: String
    /// Whose pages may send unsafe requests with a cookie session: ours and the CORS list.
    let sameOrigin: SameOriginPolicy
    let metrics: ProxyMetrics
    /// The API's scheme, host and port, and its base path (`/rest/v2`, or empty): where the fast
    /// path connects and what it puts before the forwarded path. Nil origin: no fast path.
    let apiOrigin: UpstreamConnectionPool.Origin?
    let apiBasePath: String
    /// The route as the access log and the metrics name it (the router's template for this mount).
    let routeTemplate: String

    static var link: HTTPField.Name { HTTPField.Name("Link")! }
    static var requestBodyLimit: Int { 1024 * 1024 }
    static var bufferedResponseLimit: Int { 256 * 1024 }
    static var forwardedRequestHeaders: [HTTPField.Name] { ProxyHeaders.forwarded }

    public init(target: ProxyTarget, cookies: SessionCookies, mountPath: String, publicURL: String, corsOrigins: [String], metrics: ProxyMetrics) {
        self.target = target
        self.cookies = cookies
        self.mountPath = mountPath
        self.routeTemplate = mountPath + "/**"
        self.publicAPIURL = publicURL + mountPath
        self.sameOrigin = SameOriginPolicy(publicURL: publicURL, alsoTrusted: corsOrigins)
        self.metrics = metrics
        self.apiOrigin = UpstreamConnectionPool.Origin(url: target.apiURL)
        let afterScheme = target.apiURL.drop { $0 != "/" }.dropFirst(2)
        self.apiBasePath = String(afterScheme.drop { $0 != "/" })
    }

    public var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        // Only the methods the provider's API has, so that others are 405 with an `Allow` list.
        let methods = target.allowList.methods.union(target.forbidden?.methods ?? [])
        for method in [HTTPRequest.Method.get, .post, .patch, .put, .delete] where methods.contains(method) {
            routes.on("**", method: method, use: forward)
        }
        return routes
    }

    /// Who is calling: the budget's key, and the token or session the request goes up with.
    struct Caller {
        let userID: String
        let credential: Credential
        let usesCookie: Bool
        /// The session after its token was refreshed: the answer carries its new cookie.
        var refreshedSession: Session? = nil

        enum Credential {
            case token(Secret)
            case delegated(any DelegatedCredentials, Session)
        }
    }

    var providerName: String { target.provider.displayName }

    func forward(request: Request, context: Context) async throws -> Response {
        let match: EndpointAllowList.Match
        do {
            match = try target.allowList.match(method: request.method, rawPath: belowMount(request.uri.path[...]))
        } catch {
            metrics.refused("allow_list")
            if case .notAnEndpoint = error, (try? target.forbidden?.match(method: request.method, rawPath: belowMount(request.uri.path[...]))) != nil
            {
                throw AppError(
                    .forbidden, "endpoint_not_for_browsers",
                    "\(request.method.rawValue) on this path is part of the \(providerName) API but never open to browsers, so it is not forwarded.")
            }
            throw AppError(
                .notFound, "unknown_endpoint",
                "\(request.method.rawValue) on this path is not an endpoint of the \(providerName) API, so it is not forwarded.")
        }
        let caller = try await authenticate(request)
        // The policy applies to cookie callers only (a Bearer caller carries no one's cookie),
        // so it runs here, after authentication, rather than as the group's middleware.
        if caller.usesCookie && !Self.isSafe(request.method) && !sameOrigin.allows(request) {
            metrics.refused("csrf")
            throw AppError(.forbidden, "cross_site_request", "Changes through the API must come from this site or an allowed origin.")
        }
        if case .refused(let retryAfter) = target.budget.spend(user: caller.userID) {
            metrics.refused("budget")
            throw AppError(
                .tooManyRequests, "rate_limited", "You have used your \(providerName) API budget for now. Try again in \(retryAfter) seconds.",
                headers: [.retryAfter: String(retryAfter)]
            )
        }
        let upstreamRequest = try await makeUpstreamRequest(request, match: match, caller: caller)
        var response = try await send(upstreamRequest, endpoint: match.endpoint, caller: caller)
        if let refreshed = caller.refreshedSession {
            response.setCookie(try cookies.sessionCookie(for: refreshed))
        }
        return response
    }

    private func authenticate(_ request: Request) async throws -> Caller {
        let session = try await cookies.session(from: request)
        let verifier: BearerTokenVerifier?
        switch target.identity {
        case .delegated(let credentials):
            guard let session else { throw unauthenticated() }
            return Caller(userID: session.personKey, credential: .delegated(credentials, session), usesCookie: true)
        case .personalToken(let bearerVerifier):
            if let session, let account = session.account(target.provider) {
                guard let refresher = target.refresher, let refreshed = try await fresh(account, in: session, refresher: refresher) else {
                    return Caller(userID: account.id, credential: .token(account.token), usesCookie: true)
                }
                return Caller(
                    userID: refreshed.id, credential: .token(refreshed.token), usesCookie: true, refreshedSession: session.linking(refreshed))
            }
            verifier = bearerVerifier
        }
        if let verifier, let authorization = request.headers[.authorization], let bearer = Self.bearerToken(authorization) {
            let token = Secret(bearer)
            guard !token.value.isEmpty, token.value.utf8.count <= 512 else { throw unauthenticated() }
            switch try await verifier.verify(token) {
            case .accepted(let userID):
                return Caller(userID: userID, credential: .token(token), usesCookie: false)
            case .refused:
                metrics.refused("foreign_token")
                throw AppError(.unauthorized, "token_refused", "This token was not issued to this app (or is no longer valid). Sign in again.")
            }
        }
        throw unauthenticated()
    }

    /// The account with a token that is not about to expire, when it had to be refreshed.
    private func fresh(_ account: LinkedAccount, in session: Session, refresher: TokenRefresher) async throws -> LinkedAccount? {
        do {
            return try await refresher.current(account, in: session)
        } catch TokenRefresher.Failure.reauthenticate {
            metrics.refused("reauthenticate")
            throw AppError(
                .unauthorized, "reauthenticate",
                "Your \(providerName) sign-in has expired and could not be renewed. Sign in with \(providerName) again.",
                action: .init(label: "Sign in", href: target.provider.loginPath))
        }
    }

    /// The token of `Bearer TOKEN` (the scheme in any case, spaces around the token dropped).
    static func bearerToken(_ authorization: String) -> String? {
        let utf8 = authorization.utf8
        guard utf8.count > 7, utf8.prefix(6).map({ $0 | 0x20 }).elementsEqual("bearer".utf8), utf8.dropFirst(6).first == UInt8(ascii: " ") else {
            return nil
        }
        let token = utf8.dropFirst(7).drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        let end = token.lastIndex { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }
        guard let end else { return "" }
        return String(Substring(token[...end]))
    }

    private func unauthenticated() -> AppError {
        metrics.refused("unauthenticated")
        switch target.identity {
        case .delegated:
            return AppError(.unauthorized, "not_signed_in", "Sign in first.", action: .init(label: "Sign in", href: "/auth/login"))
        case .personalToken(let verifier):
            let login = target.provider.loginPath
            let how = verifier == nil ? "" : " (or send your token as Authorization: Bearer)"
            return AppError(.unauthorized, "not_signed_in", "Sign in with \(providerName) first\(how).", action: .init(label: "Sign in", href: login))
        }
    }

    static func isSafe(_ method: HTTPRequest.Method) -> Bool { method == .get || method == .head }

    private func makeUpstreamRequest(_ request: Request, match: EndpointAllowList.Match, caller: Caller) async throws -> HTTPClientRequest {
        let overridesPatch = target.sendsPatchAsPost && request.method == .patch
        var query = [try Self.forwardedQuery(request.uri.query)].compactMap { $0 }
        if overridesPatch { query.append("_method=patch") }
        var headers = HTTPHeaders()
        for name in Self.forwardedRequestHeaders {
            if let value = request.headers[name] {
                headers.add(name: name.rawName, value: value)
            }
        }
        var body: ByteBuffer?
        if request.method != .get && request.method != .head {
            let collected = try await request.body.collect(upTo: Self.requestBodyLimit)
            body = collected.readableBytes > 0 ? collected : nil
        }
        let contentType = request.headers[.contentType]
        if overridesPatch {
            // The query says `_method=patch` as well, so a body it cannot go into is sent as it is.
            body = BodyParameters.adding("_method", "patch", to: body, contentType: contentType, headers: &headers) ?? body
        }
        var method = HTTPMethod(rawValue: overridesPatch ? "POST" : request.method.rawValue)
        var path = match.path.hasSuffix("/") && !target.pathSuffix.isEmpty ? String(match.path.dropLast()) : match.path
        path += target.pathSuffix

        switch caller.credential {
        case .token(let token):
            headers.add(name: "Authorization", value: "Bearer \(token.value)")
        case .delegated(let credentials, let session):
            // The raw query: `access_token` would otherwise be dropped quietly rather than refused.
            try Self.refuseIdentityParameters(
                credentials.identityParameters, query: [request.uri.query].compactMap { $0 }, body: body, contentType: contentType)
            var delegated = DelegatedRequest(method: method, path: path, query: query, body: body, contentType: contentType, headers: headers)
            try await credentials.authorize(&delegated, for: session, endpoint: match.endpoint)
            (method, query, body, headers) = (delegated.method, delegated.query, delegated.body, delegated.headers)
        }

        var upstream = HTTPClientRequest(url: target.apiURL + path + (query.isEmpty ? "" : "?" + query.joined(separator: "&")))
        upstream.method = method
        upstream.headers = headers
        if let body {
            upstream.body = .bytes(body)
        }
        return upstream
    }

    /// Nobody chooses whom the app acts as: such a parameter anywhere is refused, never forwarded.
    static func refuseIdentityParameters(_ names: Set<String>, query: [String], body: ByteBuffer?, contentType: String?) throws {
        let queryNames = query.flatMap { FormEncoding.decode($0).keys.map { $0.lowercased() } }
        guard let bodyNames = BodyParameters.names(in: body, contentType: contentType) else {
            throw AppError(.unsupportedMediaType, "unsupported_body", "Send the body as JSON (an object) or as a form.")
        }
        if let refused = (Set(queryNames).union(bodyNames)).intersection(names).sorted().first {
            throw AppError(
                .badRequest, "identity_parameter_refused",
                "The parameter \(refused) chooses whom the app acts as; ThingBridge always acts as the signed-in person, so it is not accepted.")
        }
    }

    /// The query without `access_token` (the token goes in the header) and `callback` (no JSON-P).
    static func forwardedQuery(_ query: String?) throws -> String? {
        guard let query, !query.isEmpty else { return nil }
        guard query.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "#") }) else {
            throw AppError(.badRequest, "bad_query", "The query string has characters that must be percent-encoded.")
        }
        let kept = query.utf8.split(separator: UInt8(ascii: "&")).filter { pair in
            let name = fieldName(of: pair)
            return name != "access_token" && name != "callback"
        }
        return kept.isEmpty ? nil : QueryEncoding.forwardable(kept.map { String(Substring($0)) }.joined(separator: "&"))
    }

    /// A query field's name as the provider reads it: before the first `=`, decoded, lower-cased.
    /// Split on bytes, as the provider splits: `=` and a combining mark after it are one Character.
    static func fieldName(of pair: Substring.UTF8View) -> String {
        let name = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false).first ?? pair
        return FormEncoding.unescape(String(Substring(name))).lowercased()
    }

    private func send(_ upstreamRequest: HTTPClientRequest, endpoint: String, caller: Caller) async throws -> Response {
        let start = ContinuousClock.now
        let reply: UpstreamReply<StreamingBody>
        do {
            reply = try await target.upstream.open(upstreamRequest, bufferUpTo: Self.bufferedResponseLimit)
        } catch {
            metrics.upstream(provider: target.provider, endpoint: endpoint, status: 0, duration: ContinuousClock.now - start)
            throw error
        }
        let answer: UpstreamAnswer<StreamingBody>
        switch reply {
        case .webPage(let status):
            // A challenge or error page where data belongs: say so instead of passing it on.
            metrics.upstream(provider: target.provider, endpoint: endpoint, status: status, duration: ContinuousClock.now - start)
            throw UpstreamError.webPage(status: status, provider: providerName)
        case .rateLimited(let retryAfter, let limited):
            target.budget.pause(user: caller.userID, seconds: retryAfter ?? 60)
            answer = limited
        case .answer(let data):
            answer = data
        }
        metrics.upstream(provider: target.provider, endpoint: endpoint, status: answer.status, duration: ContinuousClock.now - start)
        return Response(
            status: HTTPResponse.Status(code: answer.status), headers: responseHeaders(answer.headers, head: answer.body.head),
            body: responseBody(answer.body))
    }

    /// The provider's headers a browser may see, with the API's own URLs pointing here and a
    /// content type that can never make the browser render markup from our origin.
    ///
    /// - Parameter head: the body's first bytes (all of a small one), which decide the content type.
    func responseHeaders(_ upstream: HTTPHeaders, head: ByteBuffer) -> HTTPFields {
        var headers = HTTPFields()
        headers.reserveCapacity(upstream.count + 8)
        if let contentType = Self.contentType(declared: upstream.first(name: "content-type"), head: head) {
            headers.append(HTTPField(name: .contentType, value: contentType))
        }
        // One pass over the provider's headers, in their order (a name may repeat).
        var location: String?
        for (name, value) in upstream {
            if let field = ProxyHeaders.returnedByName[name.lowercased()] {
                headers.append(HTTPField(name: field, value: value))
            } else if name.utf8.count == 4 && name.lowercased() == "link" {
                headers.append(HTTPField(name: Self.link, value: rewriteLink(value)))
            } else if location == nil && name.utf8.count == 8 && name.lowercased() == "location" {
                location = value
            }
        }
        if let location {
            headers.append(HTTPField(name: .location, value: rewriteLocation(location)))
        }
        return headers
    }

    private func responseBody(_ body: StreamingBody) -> ResponseBody {
        guard let rest = body.rest else { return ResponseBody(byteBuffer: body.head) }
        let head = body.head
        return ResponseBody { writer in
            if head.readableBytes > 0 { try await writer.write(head) }
            while let chunk = try await rest.next() {
                try await writer.write(chunk)
            }
            try await writer.finish(nil)
        }
    }

    /// The declared type when it is a data type; HTML is only ever declared for data here (the
    /// markup itself was refused), so it becomes JSON or plain text by what the body starts with.
    static func contentType(declared: String?, head: ByteBuffer) -> String? {
        guard let declared else { return nil }
        guard Self.mentions(declared, anyOf: ["html", "xml", "svg"]) else { return declared }
        let first = head.readableBytesView.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
        return first == UInt8(ascii: "{") || first == UInt8(ascii: "[") ? "application/json; charset=utf-8" : "text/plain; charset=utf-8"
    }

    /// Whether `text` contains one of the lowercase ASCII `words`, ignoring ASCII case (a
    /// header value, checked on every answer: no Foundation, no copy).
    static func mentions(_ text: String, anyOf words: [StaticString]) -> Bool {
        let bytes = text.utf8
        return words.contains { word in
            let pattern = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
            guard let first = pattern.first, pattern.count <= bytes.count else { return false }
            var start = bytes.startIndex
            while let candidate = bytes[start...].firstIndex(where: { lowercased($0) == first }) {
                let rest = bytes[candidate...]
                if rest.count < pattern.count { return false }
                if zip(rest, pattern).allSatisfy({ lowercased($0) == $1 }) { return true }
                start = bytes.index(after: candidate)
            }
            return false
        }
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    /// `<https://api.thingiverse.com/things?page=2>; rel="next"` → `<PUBLIC_URL/api/things?page=2>; rel="next"`.
    func rewriteLink(_ value: String) -> String {
        value.replacingOccurrences(of: "<" + target.apiURL + "/", with: "<" + publicAPIURL + "/")
    }

    /// The API's own absolute URLs (Flattr's lookup answers 302 to one) point at this proxy;
    /// any other location (a file on a CDN) is the browser's to follow.
    func rewriteLocation(_ value: String) -> String {
        value.hasPrefix(target.apiURL + "/") ? publicAPIURL + value.dropFirst(target.apiURL.count) : value
    }
}

/// The headers the proxy passes each way, made once (a generic type cannot hold stored statics).
private enum ProxyHeaders {
    static let forwarded: [HTTPField.Name] = [.accept, .contentType, .ifNoneMatch, .ifModifiedSince, .acceptLanguage]
    static let returned: [(name: String, field: HTTPField.Name)] = [
        "etag", "last-modified", "cache-control", "retry-after", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset",
    ].map { ($0, HTTPField.Name($0)!) }
    static let returnedByName = Dictionary(uniqueKeysWithValues: returned.map { ($0.name, $0.field) })
}
