import HTTPTypes
import Hummingbird
import Tracing

/// A server span for every request, when tracing is on (`OTEL_EXPORTER_OTLP_ENDPOINT`); not in
/// the chain at all otherwise.
///
/// The span is named by the matched route template (`POST /webhooks/thingiverse/{secret}`),
/// never by the path or query, which may hold a webhook secret or a token; no header, cookie
/// or body reaches an attribute. An incoming W3C `traceparent` is continued.
public struct RequestTracingMiddleware<Context: RequestContext>: RouterMiddleware {
    let tracer: any Tracer

    public init(tracer: any Tracer) {
        self.tracer = tracer
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var parent = ServiceContext.current ?? .topLevel
        tracer.extract(request.headers, into: &parent, using: HTTPFieldsExtractor())
        let method = request.method.rawValue
        let span = tracer.startSpan(method, context: parent, ofKind: .server)
        span.attributes["http.request.method"] = method
        span.attributes["thingbridge.request_id"] = context.id
        var response: Response
        do {
            response = try await ServiceContext.withValue(span.context) {
                try await next(request, context)
            }
        } catch {
            // The error middleware answers everything; this only sees errors thrown outside it.
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            Self.finish(span, method: method, route: Self.route(context), status: status)
            span.end()
            throw error
        }
        Self.finish(span, method: method, route: Self.route(context), status: response.status.code)
        // A streamed answer (the proxy's) is timed until its last byte is written.
        let body = response.body
        response.body = ResponseBody(contentLength: body.contentLength) { writer in
            defer { span.end() }
            try await body.write(writer)
        }
        return response
    }

    /// The template of the route that answered, as the access log and the metrics label it.
    static func route(_ context: Context) -> String {
        context.endpointPath.flatMap { $0 == "NotFound" ? nil : $0 } ?? "unmatched"
    }

    private static func finish(_ span: any Span, method: String, route: String, status: Int) {
        span.operationName = method + " " + route
        span.attributes["http.route"] = route
        span.attributes["http.response.status_code"] = status
        if status >= 500 {
            span.setStatus(SpanStatus(code: .error))
        }
    }
}
