import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1

/// A proxied `GET` that the fast path (``ProxyFastPath``) may send on the event loop: the same
/// checks as ``ProxyController/forward(request:context:)`` have passed, in the same order.
struct FastProxyRequest {
    let origin: UpstreamConnectionPool.Origin
    let head: HTTPRequestHead
    /// The allow-list's template, for the metrics.
    let endpoint: String
    /// The budget's key.
    let userID: String
}

extension ProxyController {
    /// The upstream request for `request` when it is the browser's common case: a `GET` with no
    /// body from a signed-in session that has this provider's account (or with a browser's own
    /// token whose tokeninfo verdict is remembered as ours), to an allowed endpoint, within budget.
    /// Nil for anything else (another method, an unknown or refused token, no session, a path or
    /// query the async path refuses, a spent budget): the async path then answers it and checks
    /// everything again, so every refusal keeps its one implementation.
    ///
    /// Spends one request of the person's budget when it answers non-nil, as the async path does.
    func fastRequest(_ request: HTTPRequest, path: Substring, query: Substring?) -> FastProxyRequest? {
        guard request.method == .get, let apiOrigin, target.upstream.pool != nil, case .personalToken(let verifier) = target.identity,
            request.headerFields[.contentLength] == nil, request.headerFields[.transferEncoding] == nil,
            let match = try? target.allowList.match(method: .get, rawPath: belowMount(path)),
            let caller = fastCaller(request, verifier: verifier)
        else { return nil }
        let forwarded: String?
        do {
            forwarded = try Self.forwardedQuery(query.map(String.init))
        } catch {
            return nil
        }
        guard case .allowed = target.budget.spend(user: caller.userID) else { return nil }

        var upstreamPath = apiBasePath
        upstreamPath += match.path.hasSuffix("/") && !target.pathSuffix.isEmpty ? String(match.path.dropLast()) : match.path
        upstreamPath += target.pathSuffix
        if let forwarded { upstreamPath += "?" + forwarded }
        var headers = HTTPHeaders()
        headers.reserveCapacity(4)
        headers.add(name: "Host", value: apiOrigin.hostHeader)
        for name in Self.forwardedRequestHeaders {
            if let value = request.headerFields[name] {
                headers.add(name: name.rawName, value: value)
            }
        }
        headers.add(name: "Authorization", value: "Bearer \(caller.token.value)")
        return FastProxyRequest(
            origin: apiOrigin, head: HTTPRequestHead(version: .http1_1, method: .GET, uri: upstreamPath, headers: headers),
            endpoint: match.endpoint, userID: caller.userID)
    }

    /// The budget's key and the token, as ``authenticate(_:)`` finds them: the session's account
    /// first, else a browser's own token whose verdict is remembered as accepted.
    private func fastCaller(_ request: HTTPRequest, verifier: BearerTokenVerifier?) -> (userID: String, token: Secret)? {
        if let session = cookies.session(fromCookieHeaders: request.headerFields[values: .cookie]) {
            if let account = session.account(target.provider) {
                // A token due for refresh takes the async path, which refreshes it.
                if account.tokenExpiresAt != nil && account.needsRefresh(at: SessionCookies.now()) { return nil }
                return (account.id, account.token)
            }
        }
        guard let verifier, let authorization = request.headerFields[.authorization], let bearer = Self.bearerToken(authorization),
            !bearer.isEmpty, bearer.utf8.count <= 512
        else { return nil }
        let token = Secret(bearer)
        guard case .accepted(let userID) = verifier.cachedVerdict(token) else { return nil }
        return (userID, token)
    }

    /// The part of a request path below this mount (`/things/1` of `/api/things/1`), cut by bytes:
    /// a `Character` count of the mount path would walk it on every request.
    func belowMount(_ path: Substring) -> Substring {
        Substring(path.utf8.dropFirst(mountPath.utf8.count))
    }
}
