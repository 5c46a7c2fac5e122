import HTTPTypes
import Hummingbird

/// One endpoint of a simulated API: method, path pattern (`:name` captures a segment) and the
/// provider's handler.
struct SimulatorRoute<Handler: Sendable>: Sendable {
    let method: HTTPRequest.Method
    let pattern: PathPattern
    let handle: Handler

    init(_ method: HTTPRequest.Method, _ pattern: String, _ handle: Handler) {
        self.method = method
        self.pattern = PathPattern(pattern)
        self.handle = handle
    }
}

/// What a request's method and path segments find in a route table.
enum RouteLookup<Handler: Sendable> {
    case found(SimulatorRoute<Handler>, parameters: [String: String])
    /// The path exists, but not with this method: the methods it has, in table order.
    case methodNotAllowed(allowed: [HTTPRequest.Method])
    case notFound
}

extension Array {
    /// The first route whose pattern and method match; literal patterns must come before
    /// captures that could take them.
    func lookup<Handler>(method: HTTPRequest.Method, segments: [String]) -> RouteLookup<Handler>
    where Element == SimulatorRoute<Handler> {
        var allowed: [HTTPRequest.Method] = []
        for route in self {
            guard let parameters = route.pattern.match(segments) else { continue }
            if route.method == method {
                return .found(route, parameters: parameters)
            }
            allowed.append(route.method)
        }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: allowed)
    }
}

extension RouteCollection {
    /// Sends every method at `prefix` and every path below it to `handle`, so that a simulated
    /// API answers unknown paths itself (a JSON 404) and a trailing slash is optional.
    func addCatchAll(below prefix: String, _ handle: @escaping @Sendable (Request, Context) async throws -> Response) {
        let methods: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete]
        for method in methods {
            for path in [prefix, "\(prefix)/**"] {
                on(RouterPath(path), method: method, use: handle)
            }
        }
    }
}

/// The token of an `Authorization: Bearer TOKEN` header.
enum BearerToken {
    /// The token, trimmed (possibly empty), or `nil` for a missing header or another scheme.
    static func value(in header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingSpaces
    }

    /// The token, or `nil` for a missing or empty one or another scheme.
    static func nonEmptyValue(in header: String?) -> String? {
        value(in: header).flatMap { $0.isEmpty ? nil : $0 }
    }
}

extension String {
    /// The path's segments below `prefix`, percent-decoded.
    func pathSegments(below prefix: String) -> [String] {
        dropFirst(prefix.count).split(separator: "/").map { FormEncoding.decodePathSegment($0) }
    }

    /// A mount prefix as routes want it: `""` for the root, else `/path` without a trailing slash.
    var mountPrefix: String {
        let trimmed = droppingTrailingSlashes
        if trimmed.isEmpty { return "" }
        return trimmed.hasPrefix("/") ? trimmed : "/" + trimmed
    }
}

extension RouteCollection {
    /// A simulated site's routes: its web host below `webPrefix` and its API below `apiPrefix`,
    /// both as ``String/mountPrefix``. The API needs a prefix of its own: its catch-all would
    /// otherwise answer the web host's paths.
    /// - Parameters:
    ///   - site: the simulator's name, for the message when the prefixes do not fit
    ///   - add: adds the controllers, given the normalized web and API prefixes
    static func simulatedSite(
        webPrefix: String, apiPrefix: String, site: String, _ add: (RouteCollection, _ web: String, _ api: String) -> Void
    ) -> RouteCollection {
        let web = webPrefix.mountPrefix
        let api = apiPrefix.mountPrefix
        precondition(!api.isEmpty && api != web, "The \(site)'s API needs a path prefix of its own, e.g. \"/api\".")
        let routes = RouteCollection(context: Context.self)
        add(routes, web, api)
        return routes
    }
}
