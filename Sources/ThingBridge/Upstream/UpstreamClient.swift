import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import Tracing

/// The one way out: every call to a provider (sign-in, the proxy, order confirmation, the
/// forum) leaves through here, on the one shared ``HTTPClient`` (redirects never followed,
/// nothing decompressed), with the configured wait, one test for "web page instead of data",
/// one reading of `Retry-After` and one mapping of transport failures to ``UpstreamError``.
public struct UpstreamClient: Sendable {
    let httpClient: HTTPClient
    /// Bounds the wait for the answer's head; the body is bounded by the client's read timeout.
    let timeout: TimeAmount
    /// The provider's name, for error messages.
    public let provider: String
    /// Keep-alive connections per event loop for the proxy's fast path, when it is on.
    let pool: UpstreamConnectionPool?
    /// Makes a client span for every call when tracing is on; `nil` costs nothing.
    let tracer: (any Tracer)?
    /// Whether calls carry the span's W3C `traceparent` (the relay's, so the app's services
    /// continue the trace; never a provider's).
    let propagatesTraceContext: Bool

    /// - Parameters:
    ///   - httpClient: the application's one client.
    ///   - timeout: `THINGBRIDGE_UPSTREAM_TIMEOUT`.
    ///   - provider: "Thingiverse", "Flattr", ...
    ///   - pool: connections for ``exchange(_:origin:on:onEvent:)`` (the proxy's fast path).
    ///   - tracer: makes a span per call, when tracing is on.
    ///   - propagatesTraceContext: whether calls send a `traceparent` header.
    public init(httpClient: HTTPClient, timeout: Duration, provider: String, tracer: (any Tracer)? = nil, propagatesTraceContext: Bool = false) {
        self.init(
            httpClient: httpClient, timeout: timeout, provider: provider, pool: nil, tracer: tracer, propagatesTraceContext: propagatesTraceContext)
    }

    init(
        httpClient: HTTPClient, timeout: Duration, provider: String, pool: UpstreamConnectionPool?, tracer: (any Tracer)? = nil,
        propagatesTraceContext: Bool = false
    ) {
        self.httpClient = httpClient
        let components = timeout.components
        self.timeout = .nanoseconds(components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000)
        self.provider = provider
        self.pool = pool
        self.tracer = tracer
        self.propagatesTraceContext = propagatesTraceContext
    }

    /// Starts a bodiless request on `eventLoop` (the browser connection's) for the proxy's fast
    /// path; the answer's parts, or its failure, arrive in `onEvent` on that loop. Nil without a pool.
    func exchange(
        _ head: HTTPRequestHead, origin: UpstreamConnectionPool.Origin, on eventLoop: any EventLoop,
        onEvent: @escaping (UpstreamExchange.Event) -> Void
    ) -> UpstreamExchange? {
        guard let pool else { return nil }
        let exchange = UpstreamExchange(connections: pool.connections(on: eventLoop), origin: origin, head: head, onEvent: onEvent)
        exchange.start()
        return exchange
    }

    /// How an answer is judged from its status, headers and first bytes, for callers that read
    /// parts themselves (the fast path): the same test as every other call.
    func classify(status: Int, headers: HTTPHeaders, head: ByteBuffer) -> UpstreamReply<Void> {
        if ReplyBody.isMarkup(head) { return .webPage(status: status) }
        let answer = UpstreamAnswer(status: status, headers: headers, body: ())
        if status == 429 {
            return .rateLimited(retryAfter: RetryAfter.seconds(headers.first(name: "retry-after")), answer)
        }
        return .answer(answer)
    }

    /// Sends `request` and collects the whole answer (at most `bodyLimit` bytes).
    public func fetch(_ request: HTTPClientRequest, bodyLimit: Int = 1024 * 1024) async throws(UpstreamError) -> UpstreamReply<ByteBuffer> {
        let response = try await execute(request)
        let body: ByteBuffer
        do {
            body = try await response.body.collect(upTo: bodyLimit)
        } catch is NIOTooManyBytesError {
            throw UpstreamError(.badReply("the answer was too large"), provider: provider)
        } catch {
            throw UpstreamError(UpstreamError.Kind(transportError: error), provider: provider)
        }
        return classify(response, body: body, head: body)
    }

    /// ``fetch(_:bodyLimit:)`` for callers that need data: a web page, the provider's rate limit
    /// and a 5xx are errors; any other status is the caller's to read.
    public func data(_ request: HTTPClientRequest, bodyLimit: Int = 1024 * 1024) async throws(UpstreamError) -> UpstreamAnswer<ByteBuffer> {
        switch try await fetch(request, bodyLimit: bodyLimit) {
        case .webPage(let status):
            throw UpstreamError.webPage(status: status, provider: provider)
        case .rateLimited(let retryAfter, _):
            throw UpstreamError(.rateLimited(retryAfter: retryAfter), provider: provider)
        case .answer(let answer) where answer.status >= 500:
            throw UpstreamError(.serverError(status: answer.status), provider: provider)
        case .answer(let answer):
            return answer
        }
    }

    /// Sends `request` for the proxy: an answer whose `Content-Length` is at most `bufferUpTo` is
    /// read whole (one write back to the browser); a larger one is judged by its first part and
    /// streams on.
    public func open(_ request: HTTPClientRequest, bufferUpTo limit: Int) async throws(UpstreamError) -> UpstreamReply<StreamingBody> {
        let response = try await execute(request)
        do {
            if let length = response.headers.first(name: "content-length").flatMap(Int.init), length <= limit {
                let body = try await response.body.collect(upTo: length)
                return classify(response, body: StreamingBody(head: body, rest: nil), head: body)
            }
            let rest = RemainingBody(response.body.makeAsyncIterator())
            let first = try await rest.next() ?? ByteBuffer()
            return classify(response, body: StreamingBody(head: first, rest: rest), head: first)
        } catch {
            throw UpstreamError(UpstreamError.Kind(transportError: error), provider: provider)
        }
    }

    /// Sends `request` where only the answer's status matters (the relay's deliveries): the body
    /// is read up to `bodyLimit` and dropped; `Retry-After` is read whatever the status.
    public func send(_ request: HTTPClientRequest, bodyLimit: Int = 64 * 1024) async throws(UpstreamError) -> (status: Int, retryAfter: Int?) {
        let response = try await execute(request)
        do {
            _ = try await response.body.collect(upTo: bodyLimit)
        } catch is NIOTooManyBytesError {
            // The status is all we wanted; the rest of a long answer is not read.
        } catch {
            throw UpstreamError(UpstreamError.Kind(transportError: error), provider: provider)
        }
        return (Int(response.status.code), RetryAfter.seconds(response.headers.first(name: "retry-after")))
    }

    private func execute(_ request: HTTPClientRequest) async throws(UpstreamError) -> HTTPClientResponse {
        if let tracer { return try await traced(request, tracer: tracer) }
        do {
            return try await httpClient.execute(request, timeout: timeout)
        } catch {
            throw UpstreamError(UpstreamError.Kind(transportError: error), provider: provider)
        }
    }

    /// ``execute(_:)`` inside a client span, from the request until the answer's head: the
    /// provider, the method, the host and the status; never the path or query (a token may be
    /// in it), a header or a body.
    private func traced(_ request: HTTPClientRequest, tracer: any Tracer) async throws(UpstreamError) -> HTTPClientResponse {
        var request = request
        let method = request.method.rawValue
        let span = tracer.startSpan(provider + " " + method, context: ServiceContext.current ?? .topLevel, ofKind: .client)
        defer { span.end() }
        span.attributes["http.request.method"] = method
        span.attributes["thingbridge.upstream"] = provider
        if let host = Self.host(of: request.url) {
            span.attributes["server.address"] = host
        }
        if propagatesTraceContext {
            tracer.inject(span.context, into: &request.headers, using: HTTPHeadersInjector())
        }
        do {
            let response = try await httpClient.execute(request, timeout: timeout)
            span.attributes["http.response.status_code"] = Int(response.status.code)
            if response.status.code >= 500 { span.setStatus(SpanStatus(code: .error)) }
            return response
        } catch {
            let failure = UpstreamError(UpstreamError.Kind(transportError: error), provider: provider)
            span.attributes["error.type"] = failure.appError.code
            span.setStatus(SpanStatus(code: .error))
            throw failure
        }
    }

    /// The host of `url` (`scheme://[user@]host[:port]/...`), without user, port or path.
    static func host(of url: String) -> String? {
        guard let schemeEnd = url.firstRange(of: "://") else { return nil }
        var authority = url[schemeEnd.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        if authority.hasPrefix("[") {
            return authority.firstIndex(of: "]").map { String(authority[...$0]) }
        }
        return String(authority.prefix { $0 != ":" })
    }

    private func classify<Body>(_ response: HTTPClientResponse, body: Body, head: ByteBuffer) -> UpstreamReply<Body> {
        let status = Int(response.status.code)
        let answer = UpstreamAnswer(status: status, headers: response.headers, body: body)
        switch classify(status: status, headers: response.headers, head: head) {
        case .webPage: return .webPage(status: status)
        case .rateLimited(let retryAfter, _): return .rateLimited(retryAfter: retryAfter, answer)
        case .answer: return .answer(answer)
        }
    }
}
