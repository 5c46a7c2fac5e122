import Foundation
import HTTPTypes
import Hummingbird

/// CORS for the browser-facing API (`/api/` and the signed-in user endpoints), on the router so
/// that preflights are answered before routing (and never become 404s).
///
/// Only exact origins from `THINGBRIDGE_CORS_ORIGINS` get CORS headers, with credentials;
/// anything else (`null`, look-alikes such as `https://app.example.com.evil.com`) gets none.
/// Every answer on these paths carries `Vary: Origin`, so caches keep origins apart.
public struct CORSMiddleware<Context: RequestContext>: RouterMiddleware {
    let allowedOrigins: Set<String>
    let metrics: ProxyMetrics

    static var allowedMethods: String { "GET, POST, PATCH, PUT, DELETE" }
    static var allowedHeaders: Set<String> { ["accept", "content-type", "authorization", "if-none-match", "if-modified-since"] }
    static var exposedHeaders: String { "Link, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After, ETag" }

    public init(allowedOrigins: [String], metrics: ProxyMetrics) {
        self.allowedOrigins = Set(allowedOrigins)
        self.metrics = metrics
    }

    static func applies(to path: String) -> Bool {
        path.hasPrefix("/api/") || path == "/auth/me" || path == "/auth/session"
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard Self.applies(to: request.uri.path) else { return try await next(request, context) }
        let origin = request.headers[.origin]
        let allowedOrigin = origin.flatMap { allowedOrigins.contains($0) ? $0 : nil }
        if origin != nil && allowedOrigin == nil {
            metrics.refused("cors_origin")
        }

        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            return preflight(request, allowedOrigin: allowedOrigin)
        }
        var response = try await next(request, context)
        response.headers[.vary] = "Origin"
        if let allowedOrigin {
            response.headers[.accessControlAllowOrigin] = allowedOrigin
            response.headers[.accessControlAllowCredentials] = "true"
            response.headers[.accessControlExposeHeaders] = Self.exposedHeaders
        }
        return response
    }

    /// Answered without a session: the browser asks before sending cookies.
    private func preflight(_ request: Request, allowedOrigin: String?) -> Response {
        guard let allowedOrigin else {
            return Response(status: .noContent, headers: [.vary: "Origin"])
        }
        let requested = (request.headers[.accessControlRequestHeaders] ?? "")
            .split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            .filter { Self.allowedHeaders.contains($0) }
        var headers: HTTPFields = [
            .vary: "Origin",
            .accessControlAllowOrigin: allowedOrigin,
            .accessControlAllowCredentials: "true",
            .accessControlAllowMethods: Self.allowedMethods,
            .accessControlMaxAge: "600",
        ]
        if !requested.isEmpty {
            headers[.accessControlAllowHeaders] = requested.joined(separator: ", ")
        }
        return Response(status: .noContent, headers: headers)
    }
}
