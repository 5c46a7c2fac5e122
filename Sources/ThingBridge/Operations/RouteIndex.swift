import HTTPTypes
import Synchronization

/// The routes the router knows, so a request for a known path with the wrong method gets
/// 405 with `Allow` instead of 404. Filled once, after every route is registered.
public final class RouteIndex: Sendable {
    private struct Route {
        let segments: [Substring]
        let method: HTTPRequest.Method
    }

    private let routes = Mutex<[Route]>([])

    public init() {}

    /// Records the router's routes, e.g. `("/webhooks/thingiverse/:secret", .post)`.
    public func record(_ entries: [(path: String, method: HTTPRequest.Method)]) {
        let parsed = entries.map { Route(segments: $0.path.split(separator: "/"), method: $0.method) }
        routes.withLock { $0 = parsed }
    }

    /// The methods registered for a concrete request path, sorted; empty when none matches.
    public func methods(forPath path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/")
        let methods = routes.withLock { routes in
            routes.filter { Self.matches($0.segments, segments) }.map(\.method)
        }
        return Set(methods).sorted { $0.rawValue < $1.rawValue }
    }

    private static func matches(_ pattern: [Substring], _ path: [Substring]) -> Bool {
        var index = 0
        for (position, part) in pattern.enumerated() {
            if part == "**" { return true }
            guard position < path.count else { return false }
            let isParameter = part.hasPrefix(":") || part.hasPrefix("{") || part == "*"
            if !isParameter && part != path[position] { return false }
            index = position + 1
        }
        return index == path.count
    }
}
