import HTTPTypes
import Hummingbird

/// The one rule for "did this request come from our own pages?", which guards every change a
/// browser's cookie could otherwise make from another site: posting a sign-in token, unlinking,
/// admin changes with a session, unsafe proxy calls with a session, development's buttons.
///
/// `Origin` must be one of the trusted origins (the public URL's, plus the CORS list where
/// the proxy allows it). Without `Origin`, `Sec-Fetch-Site` must say `same-origin` or `none`.
/// With neither header the request is not from a browser that could carry someone's cookie
/// cross-site (every current browser sends `Origin` with a cross-site `POST`), so it passes.
public struct SameOriginPolicy: Sendable {
    let trustedOrigins: Set<String>

    /// - Parameters:
    ///   - publicURL: `THINGBRIDGE_PUBLIC_URL`; its origin is always trusted.
    ///   - alsoTrusted: further exact origins (the proxy's `THINGBRIDGE_CORS_ORIGINS`).
    public init(publicURL: String, alsoTrusted: [String] = []) {
        let own = ThingBridgeConfiguration.origin(publicURL) ?? publicURL.lowercased()
        trustedOrigins = Set(alsoTrusted.map { $0.lowercased() } + [own])
    }

    /// Whether `request` may make a change with the browser's cookies.
    public func allows(_ request: Request) -> Bool {
        if let origin = request.headers[.origin] {
            return trustedOrigins.contains(origin.lowercased())
        }
        if let site = request.headers[.secFetchSite] {
            return site == "same-origin" || site == "none"
        }
        return true
    }

    static func isSafe(_ method: HTTPRequest.Method) -> Bool { method == .get || method == .head || method == .options }
}

/// ``SameOriginPolicy`` on a route group: unsafe requests from elsewhere are refused with the
/// error `refusal` makes (each group names the failure in its own words) before the route runs.
struct SameOriginMiddleware<Context: RequestContext>: RouterMiddleware {
    let policy: SameOriginPolicy
    let refusal: @Sendable (Request, Context) -> any Error

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard SameOriginPolicy.isSafe(request.method) || policy.allows(request) else { throw refusal(request, context) }
        return try await next(request, context)
    }
}
