import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// HTTP/1.1 keep-alive connections to the providers' API hosts, kept per event loop, under
/// ``UpstreamClient`` for the proxy's fast path: an exchange runs on the event loop of the
/// browser's connection, with no task, no thread hop and no request object in between.
///
/// Same rules as the shared client: redirects are never followed (the caller sees them), nothing
/// is decompressed, a connect is bounded by `THINGBRIDGE_CONNECT_TIMEOUT` and a refused one fails
/// at once, and every wait for the provider by `THINGBRIDGE_UPSTREAM_TIMEOUT`.
final class UpstreamConnectionPool: Sendable {
    /// Where connections go: scheme, host and port of an API base URL.
    struct Origin: Hashable, Sendable {
        let tls: Bool
        let host: String
        let port: Int

        /// `http(s)://host[:port]...` → its origin; nil for anything else.
        init?(url: String) {
            let tls: Bool
            let rest: Substring
            if url.hasPrefix("https://") {
                (tls, rest) = (true, url.dropFirst(8))
            } else if url.hasPrefix("http://") {
                (tls, rest) = (false, url.dropFirst(7))
            } else {
                return nil
            }
            let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            guard !authority.isEmpty, !authority.contains("@") else { return nil }
            var host = authority
            var port = tls ? 443 : 80
            if authority.hasPrefix("[") {
                // An IPv6 literal: [::1]:8080
                guard let close = authority.firstIndex(of: "]") else { return nil }
                host = authority[authority.index(after: authority.startIndex)..<close]
                let after = authority[authority.index(after: close)...]
                if after.hasPrefix(":") {
                    guard let number = Int(after.dropFirst()) else { return nil }
                    port = number
                } else if !after.isEmpty {
                    return nil
                }
            } else if let colon = authority.lastIndex(of: ":") {
                guard let number = Int(authority[authority.index(after: colon)...]) else { return nil }
                host = authority[..<colon]
                port = number
            }
            guard !host.isEmpty, (1...65535).contains(port) else { return nil }
            self.tls = tls
            self.host = String(host)
            self.port = port
        }

        /// The `Host` header: the port only when it is not the scheme's own.
        var hostHeader: String {
            let name = host.contains(":") ? "[\(host)]" : host
            return port == (tls ? 443 : 80) ? name : "\(name):\(port)"
        }
    }

    let connectTimeout: TimeAmount
    let readTimeout: TimeAmount
    /// Idle connections kept per origin and event loop.
    let idleLimit: Int
    private let tlsContext: NIOSSLContext?
    private let loops = Mutex<[ObjectIdentifier: LoopConnections]>([:])

    /// - Parameter tls: how https origins are verified: the system's trust store and the host
    ///   name, as async-http-client does (tests give their own root).
    init(connectTimeout: TimeAmount, readTimeout: TimeAmount, idleLimit: Int = 64, tls: TLSConfiguration = .makeClientConfiguration()) {
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.idleLimit = idleLimit
        self.tlsContext = try? NIOSSLContext(configuration: tls)
    }

    /// The connections of `eventLoop`; only ever used on it.
    func connections(on eventLoop: any EventLoop) -> LoopConnections {
        let key = ObjectIdentifier(eventLoop)
        return loops.withLock { loops in
            if let existing = loops[key] { return existing }
            let made = LoopConnections(eventLoop: eventLoop, pool: self)
            loops[key] = made
            return made
        }
    }

    fileprivate func connect(_ origin: Origin, on eventLoop: any EventLoop) -> EventLoopFuture<any Channel> {
        let tlsContext = origin.tls ? self.tlsContext : nil
        if origin.tls && tlsContext == nil {
            return eventLoop.makeFailedFuture(NIOSSLError.failedToLoadCertificate)
        }
        return ClientBootstrap(group: eventLoop)
            .connectTimeout(connectTimeout)
            // TCP's level: `.socketOption(.tcp_nodelay)` would be SOL_SOCKET's option 1, SO_DEBUG,
            // which an unprivileged user may not set (every connection failed in the image).
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tlsContext {
                        let isAddress = (try? SocketAddress(ipAddress: origin.host, port: 0)) != nil
                        try channel.pipeline.syncOperations.addHandler(
                            try NIOSSLClientHandler(context: tlsContext, serverHostname: isAddress ? nil : origin.host))
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers(leftOverBytesStrategy: .dropBytes)
                    try channel.pipeline.syncOperations.addHandler(UpstreamConnectionHandler())
                }
            }
            .connect(host: origin.host, port: origin.port)
    }
}

/// One event loop's idle connections. Not `Sendable` in spirit: every method runs on `eventLoop`.
final class LoopConnections: @unchecked Sendable {
    // @unchecked: created under the pool's lock, then only touched on `eventLoop` (each caller
    // is an exchange running there), so the mutable `idle` is never shared between threads.
    let eventLoop: any EventLoop
    unowned let pool: UpstreamConnectionPool
    private var idle: [UpstreamConnectionPool.Origin: [any Channel]] = [:]

    fileprivate init(eventLoop: any EventLoop, pool: UpstreamConnectionPool) {
        self.eventLoop = eventLoop
        self.pool = pool
    }

    /// An idle connection to `origin` that is still open, if there is one.
    func takeIdle(_ origin: UpstreamConnectionPool.Origin) -> (any Channel)? {
        eventLoop.preconditionInEventLoop()
        while let channel = idle[origin]?.popLast() {
            if channel.isActive { return channel }
        }
        return nil
    }

    /// A new connection to `origin`.
    func connect(_ origin: UpstreamConnectionPool.Origin) -> EventLoopFuture<any Channel> {
        pool.connect(origin, on: eventLoop)
    }

    /// Gives back a connection whose last answer ended cleanly and may be used again.
    func release(_ channel: any Channel, to origin: UpstreamConnectionPool.Origin) {
        eventLoop.preconditionInEventLoop()
        guard channel.isActive else { return }
        var channels = idle[origin, default: []]
        channels.removeAll { !$0.isActive }
        guard channels.count < pool.idleLimit else {
            channel.close(promise: nil)
            return
        }
        channels.append(channel)
        idle[origin] = channels
    }
}

/// What an exchange hears from its connection, on the connection's event loop.
protocol UpstreamPartReceiver: AnyObject {
    func received(_ part: HTTPClientResponsePart)
    /// The connection closed or failed before the answer ended.
    func connectionEnded(_ error: (any Error)?)
}

/// The last handler of an upstream connection: hands each part of an answer to the exchange
/// that owns the connection now.
final class UpstreamConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart

    weak var receiver: (any UpstreamPartReceiver)?
    private var failure: (any Error)?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        receiver?.received(unwrapInboundIn(data))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failure = error
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        let receiver = self.receiver
        self.receiver = nil
        receiver?.connectionEnded(failure)
        context.fireChannelInactive()
    }
}

/// One request and its answer on a pooled connection, driven on one event loop.
///
/// A bodiless request (the fast path forwards `GET`s) is sent; the answer's parts go to `onPart`.
/// A connection that was idle in the pool and ends before any answer (the provider closed it
/// meanwhile) is replaced once by a new one: a `GET` may be sent again.
final class UpstreamExchange: UpstreamPartReceiver {
    enum Event {
        case head(HTTPResponseHead)
        case body(ByteBuffer)
        case end
        case failed(UpstreamError.Kind)
    }

    private let connections: LoopConnections
    private let origin: UpstreamConnectionPool.Origin
    private let head: HTTPRequestHead
    private let onEvent: (Event) -> Void
    private var channel: (any Channel)?
    private var handler: UpstreamConnectionHandler?
    private var timer: Scheduled<Void>?
    /// When the provider last sent something (or the exchange started): the timer, set once,
    /// fires at `lastHeard + readTimeout` and sets itself again if the provider spoke meanwhile.
    private var lastHeard = NIODeadline.now()
    private var sawHead = false
    private var finished = false
    private var keepAlive = true
    private var retried = false

    init(connections: LoopConnections, origin: UpstreamConnectionPool.Origin, head: HTTPRequestHead, onEvent: @escaping (Event) -> Void) {
        self.connections = connections
        self.origin = origin
        self.head = head
        self.onEvent = onEvent
    }

    func start() {
        armTimer()
        if let channel = connections.takeIdle(origin) {
            send(on: channel, reused: true)
        } else {
            connectAndSend()
        }
    }

    private func connectAndSend() {
        connections.connect(origin).assumeIsolated().whenComplete { [self] result in
            guard !finished else {
                if case .success(let channel) = result { channel.close(promise: nil) }
                return
            }
            switch result {
            case .failure(let error):
                finish(.failed(UpstreamError.Kind(transportError: error)))
            case .success(let channel):
                send(on: channel, reused: false)
            }
        }
    }

    /// Stops reading from the provider while the browser's connection cannot take more.
    func setReading(_ reading: Bool) {
        guard let channel, !finished else { return }
        _ = channel.setOption(.autoRead, value: reading)
        if reading { channel.read() }
    }

    /// The browser went away: drop the connection (its answer is unread).
    func cancel() {
        guard !finished else { return }
        finished = true
        timer?.cancel()
        handler?.receiver = nil
        channel?.close(promise: nil)
    }

    private func send(on channel: any Channel, reused: Bool) {
        guard let handler = try? channel.pipeline.syncOperations.handler(type: UpstreamConnectionHandler.self) else {
            channel.close(promise: nil)
            finish(.failed(.unreachable))
            return
        }
        self.channel = channel
        self.handler = handler
        self.reusedConnection = reused
        handler.receiver = self
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
    }

    private var reusedConnection = false

    func received(_ part: HTTPClientResponsePart) {
        guard !finished else { return }
        switch part {
        case .head(let responseHead):
            // 1xx answers are not forwarded; the real head follows.
            guard responseHead.status.code >= 200 else { return }
            sawHead = true
            keepAlive = responseHead.isKeepAlive
            lastHeard = .now()
            onEvent(.head(responseHead))
        case .body(let buffer):
            lastHeard = .now()
            onEvent(.body(buffer))
        case .end:
            guard sawHead else { return }
            finished = true
            timer?.cancel()
            handler?.receiver = nil
            if let channel {
                if keepAlive { connections.release(channel, to: origin) } else { channel.close(promise: nil) }
            }
            onEvent(.end)
        }
    }

    func connectionEnded(_ error: (any Error)?) {
        guard !finished else { return }
        if !sawHead && reusedConnection && !retried {
            // A kept connection the provider had closed: one new connection, the same GET.
            retried = true
            channel = nil
            handler = nil
            connectAndSend()
            return
        }
        finish(.failed(sawHead ? .unreachable : error.map(UpstreamError.Kind.init(transportError:)) ?? .unreachable))
    }

    private func finish(_ event: Event) {
        guard !finished else { return }
        finished = true
        timer?.cancel()
        handler?.receiver = nil
        channel?.close(promise: nil)
        onEvent(event)
    }

    /// Every wait for the provider (the head, then each part of the body) is bounded.
    private func armTimer() {
        lastHeard = .now()
        schedule(at: lastHeard + connections.pool.readTimeout)
    }

    private func schedule(at deadline: NIODeadline) {
        timer = connections.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [weak self] in
            guard let self, !finished else { return }
            let due = lastHeard + connections.pool.readTimeout
            if due > .now() {
                schedule(at: due)
            } else {
                finish(.failed(.timedOut))
            }
        }
    }
}
