import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// The REST API v2 of api.flattr.com. Every path below the prefix comes here, so that unknown
/// paths get a JSON 404, a trailing slash is optional everywhere, and each request passes the
/// same steps: log, faults, token, rate limit, method override, route.
struct FlattrAPIController: Sendable {
    let simulator: FlattrSimulator
    /// Path prefix the API is mounted at, e.g. "/api" or "/sim/flattr/api".
    let prefix: String
    /// Made per use: the base URLs can be set after start (see `FlattrSimulator.setBaseURLs`).
    var presenter: FlattrPresenter { FlattrPresenter(configuration: simulator.configuration) }

    func addRoutes<Context: RequestContext>(to routes: RouteCollection<Context>) {
        routes.addCatchAll(below: prefix) { request, context in
            try await self.handle(request: request, context: context)
        }
    }

    /// Answers one API request.
    func handle(request: Request, context: some RequestContext) async throws -> Response {
        if let fault = try await simulator.fault(afterLogging: request, prefix: prefix) { return fault }
        let input = try await RequestInput.read(request, context: context)
        let segments = request.uri.path.pathSegments(below: prefix)
        let query = input.queryParameters
        let presented = request.headers[.authorization].map { BearerToken.nonEmptyValue(in: $0) ?? "" }
        let method = Self.effectiveMethod(request.method, query: query, input: input)
        let configuration = simulator.configuration
        let now = ContinuousClock.now
        let epoch = Timestamp.now()

        return simulator.state.withLock { state -> Response in
            let token = presented.flatMap { state.tokens[$0] }
            let rate = state.rateBudgets.consume(
                key: token?.value ?? FlattrState.anonymousBudget, limit: configuration.rateLimit,
                window: configuration.rateWindow, now: now)
            var headers = rate.headers(withReset: false)
            do {
                if let retryAfter = rate.retryAfter {
                    headers[.retryAfter] = String(retryAfter)
                    throw FlattrAPIError(
                        status: .tooManyRequests, code: "rate_limit_exceeded",
                        description: "Rate limit of \(configuration.rateLimit) requests exceeded; retry in \(retryAfter) s.")
                }
                if presented != nil && token == nil {
                    throw FlattrAPIError.unauthorized(
                        "You are unauthorized to access the resource (the bearer token is unknown or malformed).")
                }
                let (route, parameters) = try Self.route(method: method, segments: segments, arrived: request.method)
                let call = FlattrAPICall(parameters: parameters, query: query, input: input, token: token, now: epoch)
                var response = try route.handle(self, &state, call)
                headers.append(contentsOf: response.headers)
                response.headers = headers
                return response
            } catch {
                let failure =
                    error as? FlattrAPIError
                    ?? FlattrAPIError(status: .internalServerError, code: "internal_error", description: "The simulator failed: \(error)")
                headers.append(contentsOf: failure.headers)
                return .flattrJSON(failure.json, status: failure.status, headers: headers)
            }
        }
    }

    /// Flattr's documented PATCH workaround: a `POST` with `_method=patch` (in the query, a
    /// form or a JSON body) is handled as a `PATCH`.
    static func effectiveMethod(
        _ method: HTTPRequest.Method, query: [String: String], input: RequestInput
    ) -> HTTPRequest.Method {
        guard method == .post else { return method }
        let override = query["_method"] ?? (try? FlattrFields(input: input)?.string("_method")) ?? nil
        return override?.lowercased() == "patch" ? .patch : method
    }

    /// The route for a path, or 404 (no such path) / 405 (path exists, method does not).
    static func route(
        method: HTTPRequest.Method, segments: [String], arrived: HTTPRequest.Method
    ) throws(FlattrAPIError) -> (FlattrAPIRoute, [String: String]) {
        let path = "/" + segments.joined(separator: "/")
        let allowed: [HTTPRequest.Method]
        switch routes.lookup(method: method, segments: segments) {
        case .found(let route, let parameters): return (route, parameters)
        case .notFound: throw .notFound("There is no API endpoint at \(path).")
        case .methodNotAllowed(let methods): allowed = methods
        }
        var description = "\(arrived.rawValue) is not supported on \(path)."
        if arrived == .post && allowed.contains(.patch) {
            description += " To update, send PATCH, or POST with _method=patch."
        }
        var error = FlattrAPIError(status: .methodNotAllowed, code: "method_not_allowed", description: description)
        error.headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
        throw error
    }
}

/// One endpoint of Flattr's API.
typealias FlattrAPIRoute = SimulatorRoute<
    @Sendable (FlattrAPIController, inout FlattrState, FlattrAPICall) throws -> Response
>

extension FlattrAPIController {
    /// Every endpoint the simulator implements; literal paths come before `things/:ids`.
    static let routes: [FlattrAPIRoute] = [
        FlattrAPIRoute(.get, "user") { try $0.user(&$1, $2) },
        FlattrAPIRoute(.get, "user/things") { try $0.userThings(&$1, $2) },
        FlattrAPIRoute(.get, "users/:username") { try $0.user(&$1, $2) },
        FlattrAPIRoute(.get, "users/:username/things") { try $0.userThings(&$1, $2) },

        FlattrAPIRoute(.get, "things/lookup") { try $0.lookup(&$1, $2) },
        FlattrAPIRoute(.get, "things/search") { try $0.search(&$1, $2) },
        FlattrAPIRoute(.post, "things") { try $0.createThing(&$1, $2) },
        FlattrAPIRoute(.get, "things/:ids") { try $0.things(&$1, $2) },
        FlattrAPIRoute(.patch, "things/:ids") { try $0.updateThing(&$1, $2) },
        FlattrAPIRoute(.delete, "things/:ids") { try $0.deleteThing(&$1, $2) },
    ]
}
