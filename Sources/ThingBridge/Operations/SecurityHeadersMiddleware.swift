import HTTPTypes
import Hummingbird

/// Security headers for ThingBridge's own pages: a strict Content-Security-Policy (scripts,
/// styles and connections only from this origin, no inline script, no framing) and the usual
/// companions. The development simulator under `/sim` keeps its own simple pages.
public struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    let contentSecurityPolicy: String

    /// - Parameter imageSources: extra origins images may come from (Thingiverse's CDN for thumbnails).
    public init(imageSources: [String] = ["https:"]) {
        self.contentSecurityPolicy = [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data: " + imageSources.joined(separator: " "),
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ].joined(separator: "; ")
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        decorate(&response.headers, simulator: request.uri.path.hasPrefix("/sim/"))
        return response
    }

    /// Adds the headers to an answer's (the proxy's fast path answers without this middleware).
    func decorate(_ headers: inout HTTPFields, simulator: Bool = false) {
        headers[.xContentTypeOptions] = "nosniff"
        if simulator { return }
        if headers[.contentType]?.hasPrefix("text/html") == true {
            headers[.contentSecurityPolicy] = contentSecurityPolicy
            headers[.xFrameOptions] = "DENY"
            if headers[.referrerPolicy] == nil {
                headers[.referrerPolicy] = "same-origin"
            }
        }
    }
}
