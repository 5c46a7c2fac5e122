import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import Prometheus
import Synchronization

/// What the fast path shares across connections: the proxy mounts (longest first, as the router
/// would pick them) and everything the async path's middleware adds to an answer.
struct ProxyFastRoutes: Sendable {
    let proxies: [FastMount]
    let corsOrigins: Set<String>
    let httpMetrics: HTTPMetrics
    let proxyMetrics: ProxyMetrics
    let securityHeaders: SecurityHeadersMiddleware<AppRequestContext>
    let logger: Logger
    let serverName: String

    init(
        proxies: [ProxyController<AppRequestContext>], corsOrigins: [String], httpMetrics: HTTPMetrics, proxyMetrics: ProxyMetrics,
        securityHeaders: SecurityHeadersMiddleware<AppRequestContext>, logger: Logger, serverName: String
    ) {
        self.securityHeaders = securityHeaders
        self.proxies = proxies.sorted { $0.mountPath.utf8.count > $1.mountPath.utf8.count }.map(FastMount.init)
        self.corsOrigins = Set(corsOrigins)
        self.httpMetrics = httpMetrics
        self.proxyMetrics = proxyMetrics
        self.logger = logger
        self.serverName = serverName
    }

    /// The proxy the router would send `path` to, if any.
    func proxy(for path: Substring) -> FastMount? {
        // Bytes, not Characters: this runs on every request.
        let bytes = path.utf8
        return proxies.first { proxy in
            let mount = proxy.controller.mountPath.utf8
            return bytes.count > mount.count && bytes.starts(with: mount) && bytes.dropFirst(mount.count).first == UInt8(ascii: "/")
        }
    }
}

/// The proxy's fast path: the browser's common request (a signed-in `GET` of an allowed endpoint
/// within budget) answered in this channel handler on the connection's event loop, through a
/// keep-alive connection on the same loop (``UpstreamClient/exchange(_:origin:on:onEvent:)``),
/// instead of a task, the router and async-http-client.
///
/// It sits in the HTTP/1 pipeline after the connection-state handler and before Hummingbird's
/// request handling. Every other request (and any request the fast path declines: another
/// method, a bearer token, no session, a refused path, a spent budget) passes through untouched
/// to the router, which checks it again and answers it as before. Answers leave in request
/// order: while a request of either kind is under way, the next one waits here.
///
/// The answer is the async path's: ``ProxyController/responseHeaders(_:head:)``, the same
/// markup test and 429 handling, the same errors (``UpstreamError``, rendered as
/// ``ErrorMiddleware`` does), and what the middleware adds (CORS, `X-Request-Id`,
/// `X-Content-Type-Options`, `Server`, `Date`, the access log line and the metrics).
final class ProxyFastPath: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// Parts of pipelined requests held while an answer is under way; past this the client is abusive.
    static let heldLimit = 64

    private let routes: ProxyFastRoutes
    /// Requests handed to the router whose answers have not ended yet.
    private var passing = 0
    /// Whether the parts arriving belong to a request handed to the router.
    private var forwardingBody = false
    /// Whether the fast request under way still has its `.end` to come.
    private var awaitingOwnEnd = false
    private var current: FastAnswer?
    private var held = CircularBuffer<HTTPRequestPart>()
    private var context: ChannelHandlerContext?

    init(routes: ProxyFastRoutes) {
        self.routes = routes
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        abandon()
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        abandon()
        held.removeAll()
        context.fireChannelInactive()
    }

    /// The browser went away during an answer: the provider's connection is dropped with it.
    private func abandon() {
        guard let answer = current else { return }
        current = nil
        answer.exchange?.cancel()
        routes.httpMetrics.inFlight.decrement()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        current?.exchange?.setReading(context.channel.isWritable)
        context.fireChannelWritabilityChanged()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if awaitingOwnEnd {
            if case .end = part { awaitingOwnEnd = false }
            // A fast request has no body: its parts end here.
            if case .head = part {} else { return }
        }
        if current != nil || !held.isEmpty {
            guard held.count < Self.heldLimit else {
                context.close(promise: nil)
                return
            }
            held.append(part)
            return
        }
        take(part, context: context)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            passing -= 1
        }
        context.write(data, promise: promise)
    }

    private func take(_ part: HTTPRequestPart, context: ChannelHandlerContext) {
        switch part {
        case .head(let request):
            if passing == 0, let answer = start(request, context: context) {
                current = answer
                awaitingOwnEnd = true
                return
            }
            passing += 1
            forwardingBody = true
            context.fireChannelRead(wrapInboundOut(part))
        case .body:
            if forwardingBody { context.fireChannelRead(wrapInboundOut(part)) }
        case .end:
            if forwardingBody {
                forwardingBody = false
                context.fireChannelRead(wrapInboundOut(part))
            }
        }
    }

    /// Hands the held parts on once the answer under way has ended.
    private func drainHeld(context: ChannelHandlerContext) {
        guard !held.isEmpty else { return }
        while current == nil, let part = held.popFirst() {
            if awaitingOwnEnd {
                if case .end = part { awaitingOwnEnd = false }
                if case .head = part {} else { continue }
            }
            take(part, context: context)
        }
        // Outside a read: the router's side hands on what it was given at the read's completion.
        context.fireChannelReadComplete()
    }

    // MARK: The fast request

    private func start(_ request: HTTPRequest, context: ChannelHandlerContext) -> FastAnswer? {
        let target = request.path ?? ""
        let question = target.utf8.firstIndex(of: UInt8(ascii: "?"))
        let path = question.map { target[..<$0] } ?? target[...]
        let query = question.map { target[target.index(after: $0)...] }
        guard let mount = routes.proxy(for: path), let upstream = mount.controller.fastRequest(request, path: path, query: query) else { return nil }
        let answer = FastAnswer(request: request, mount: mount, upstream: upstream, routes: routes)
        routes.httpMetrics.inFlight.increment()
        answer.exchange = mount.controller.target.upstream.exchange(upstream.head, origin: upstream.origin, on: context.eventLoop) {
            [weak self] event in
            self?.upstreamEvent(event)
        }
        guard answer.exchange != nil else {
            routes.httpMetrics.inFlight.decrement()
            return nil
        }
        return answer
    }

    private func upstreamEvent(_ event: UpstreamExchange.Event) {
        guard let context, let answer = current else { return }
        switch answer.phase {
        case .waiting:
            switch event {
            case .head(let head):
                answer.upstreamAnswered(status: Int(head.status.code))
                if let length = head.headers.first(name: "content-length").flatMap(Int.init),
                    length <= ProxyController<AppRequestContext>.bufferedResponseLimit
                {
                    answer.phase = .buffering(head, context.channel.allocator.buffer(capacity: length))
                } else {
                    answer.phase = .judging(head)
                }
            case .failed(let kind):
                answer.upstreamAnswered(status: 0)
                respond(error: UpstreamError(kind, provider: answer.providerName), context: context)
            case .body, .end:
                break
            }
        case .buffering(let head, var buffer):
            switch event {
            case .body(var part):
                answer.phase = .waiting
                buffer.writeBuffer(&part)
                answer.phase = .buffering(head, buffer)
            case .end:
                respond(head: head, first: buffer, ends: true, context: context)
            case .failed(let kind):
                respond(error: UpstreamError(kind, provider: answer.providerName), context: context)
            case .head:
                break
            }
        case .judging(let head):
            switch event {
            case .body(let part) where part.readableBytes == 0:
                break
            case .body(let part):
                respond(head: head, first: part, ends: false, context: context)
            case .end:
                respond(head: head, first: ByteBuffer(), ends: true, context: context)
            case .failed(let kind):
                respond(error: UpstreamError(kind, provider: answer.providerName), context: context)
            case .head:
                break
            }
        case .streaming:
            switch event {
            case .body(let part):
                context.writeAndFlush(wrapOutboundOut(.body(part)), promise: nil)
            case .end:
                finish(context: context)
            case .failed:
                // Part of the answer is already with the browser: only closing says it broke.
                answer.status = answer.status ?? 502
                finish(context: context, close: true)
            case .head:
                break
            }
        }
    }

    /// The provider's answer, judged by its first bytes as every answer is.
    private func respond(head: HTTPResponseHead, first: ByteBuffer, ends: Bool, context: ChannelHandlerContext) {
        guard let answer = current else { return }
        let status = Int(head.status.code)
        switch answer.mount.controller.target.upstream.classify(status: status, headers: head.headers, head: first) {
        case .webPage(let status):
            answer.exchange?.cancel()
            respond(error: UpstreamError.webPage(status: status, provider: answer.providerName), context: context)
            return
        case .rateLimited(let retryAfter, _):
            answer.mount.controller.target.budget.pause(user: answer.upstream.userID, seconds: retryAfter ?? 60)
        case .answer:
            break
        }
        var fields = answer.mount.controller.responseHeaders(head.headers, head: first)
        if ends {
            if status >= 200 && status != 204 && status != 304 {
                fields.append(HTTPField(name: .contentLength, value: String(first.readableBytes)))
            }
        } else if let length = head.headers.first(name: "content-length") {
            fields.append(HTTPField(name: .contentLength, value: length))
        }
        answer.decorate(&fields)
        answer.status = status
        context.write(wrapOutboundOut(.head(HTTPResponse(status: .init(code: status), headerFields: fields))), promise: nil)
        if first.readableBytes > 0 {
            context.write(wrapOutboundOut(.body(first)), promise: nil)
        }
        if ends {
            finish(context: context)
        } else {
            answer.phase = .streaming
            context.flush()
            answer.exchange?.setReading(context.channel.isWritable)
        }
    }

    /// An error answered as ``ErrorMiddleware`` answers it.
    private func respond(error: UpstreamError, context: ChannelHandlerContext) {
        guard let answer = current else { return }
        let appError = error.appError
        if appError.status.code >= 500 {
            answer.logger.warning("request failed", metadata: ["error.code": .string(appError.code)])
        }
        var fields = appError.headers
        fields[.cacheControl] = "no-store"
        let body: ByteBuffer
        if ErrorResponse.wantsHTML(method: answer.request.method, headers: answer.request.headerFields) {
            fields[.contentType] = "text/html; charset=utf-8"
            body = ByteBuffer(string: ErrorResponse.html(appError))
        } else {
            fields[.contentType] = "application/json; charset=utf-8"
            body = ByteBuffer(bytes: ErrorResponse.json(appError))
        }
        fields[.contentLength] = String(body.readableBytes)
        answer.decorate(&fields)
        answer.status = Int(appError.status.code)
        context.write(wrapOutboundOut(.head(HTTPResponse(status: appError.status, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        finish(context: context)
    }

    private func finish(context: ChannelHandlerContext, close: Bool = false) {
        guard let answer = current else { return }
        current = nil
        routes.httpMetrics.inFlight.decrement()
        routes.proxyMetrics.fastPathAnswers.increment()
        answer.recordFinished()
        if close {
            context.close(promise: nil)
            return
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        if answer.closesConnection {
            context.close(promise: nil)
            return
        }
        drainHeld(context: context)
    }
}

/// One request on the fast path, from its head to the end of its answer.
private final class FastAnswer {
    enum Phase {
        /// For the answer's head.
        case waiting
        /// A small answer (its `Content-Length` within the buffer limit), read whole before a byte goes out.
        case buffering(HTTPResponseHead, ByteBuffer)
        /// A large or unsized answer, for its first bytes.
        case judging(HTTPResponseHead)
        /// Passing the rest on as it comes.
        case streaming
    }

    let request: HTTPRequest
    /// The proxy it goes through, by reference: the controller is a large struct, copied per use otherwise.
    let mount: FastMount
    let upstream: FastProxyRequest
    let routes: ProxyFastRoutes
    let start = ContinuousClock.now
    /// Hummingbird's request id, as the router's requests get one.
    let requestID = RequestID().description
    var exchange: UpstreamExchange?
    var phase = Phase.waiting
    /// The status the browser got, once it got one.
    var status: Int?

    init(request: HTTPRequest, mount: FastMount, upstream: FastProxyRequest, routes: ProxyFastRoutes) {
        self.request = request
        self.mount = mount
        self.upstream = upstream
        self.routes = routes
    }

    /// The request's logger, as the router's requests have it (made only for an error: the
    /// access line passes the id with its own metadata, which reads the same).
    var logger: Logger {
        var logger = routes.logger
        logger[metadataKey: "hb.request.id"] = .string(requestID)
        return logger
    }

    var providerName: String { mount.controller.providerName }

    /// `Connection: close` from the browser.
    var closesConnection: Bool {
        request.headerFields[values: .connection].contains { ProxyController<AppRequestContext>.mentions($0, anyOf: ["close"]) }
    }

    func upstreamAnswered(status: Int) {
        routes.proxyMetrics.upstream(
            provider: mount.controller.target.provider, endpoint: upstream.endpoint, status: status, duration: ContinuousClock.now - start)
    }

    /// What the middleware adds to every answer on this path (none of these fields is there yet:
    /// appended, not looked up).
    func decorate(_ fields: inout HTTPFields) {
        fields.append(HTTPField(name: .vary, value: "Origin"))
        if let origin = request.headerFields[.origin] {
            if routes.corsOrigins.contains(origin) {
                fields.append(HTTPField(name: .accessControlAllowOrigin, value: origin))
                fields.append(HTTPField(name: .accessControlAllowCredentials, value: "true"))
                fields.append(HTTPField(name: .accessControlExposeHeaders, value: CORSMiddleware<AppRequestContext>.exposedHeaders))
            } else {
                routes.proxyMetrics.refused("cors_origin")
            }
        }
        if fields[.contentType]?.hasPrefix("text/html") == true {
            routes.securityHeaders.decorate(&fields)
        } else {
            fields.append(HTTPField(name: .xContentTypeOptions, value: "nosniff"))
        }
        fields.append(HTTPField(name: .requestID, value: requestID))
        fields.append(HTTPField(name: .date, value: HTTPDate.now()))
        fields.append(HTTPField(name: .server, value: routes.serverName))
    }

    /// The access log line and the HTTP metrics, as ``RequestTelemetryMiddleware`` writes them.
    func recordFinished() {
        let elapsed = ContinuousClock.now - start
        let status = self.status ?? 502
        let route = mount.controller.routeTemplate
        routes.httpMetrics.record(method: "GET", route: route, status: status, duration: elapsed)
        routes.logger.info(
            "request",
            metadata: [
                "hb.request.id": .string(requestID),
                "http.method": "GET",
                "http.route": .string(route),
                "http.status": .stringConvertible(status),
                "duration_ms": .string(RequestTelemetryMiddleware<AppRequestContext>.milliseconds(elapsed)),
                "request_id": .string(requestID),
            ]
        )
    }
}

/// The `Date` header's text, made once a second.
enum HTTPDate {
    private static let cache = Mutex<(second: Int, text: String)>((-1, ""))

    static func now() -> String {
        var time = time_t()
        Foundation.time(&time)
        let second = Int(time)
        if let text = cache.withLock({ $0.second == second ? $0.text : nil }) { return text }
        var parts = tm()
        gmtime_r(&time, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let text =
            "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
        cache.withLock { $0 = (second, text) }
        return text
    }
}

/// One proxy mount as the fast path holds it: a reference to the controller, so finding the
/// mount and keeping it for an answer retains one object instead of copying the whole struct.
final class FastMount: Sendable {
    let controller: ProxyController<AppRequestContext>

    init(_ controller: ProxyController<AppRequestContext>) {
        self.controller = controller
    }
}
