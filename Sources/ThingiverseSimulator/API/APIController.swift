import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// The REST API of api.thingiverse.com. Every path below the prefix comes here, so that
/// unknown paths get a JSON 404, a trailing slash is optional everywhere, and each request
/// passes the same steps: log, faults, bearer token, rate limit, route, page.
struct APIController: Sendable {
    let simulator: ThingiverseSimulator
    /// Path prefix the API is mounted at, e.g. "/api" or "/sim/api".
    let prefix: String
    /// Made per use: the base URLs can be set after start (see `ThingiverseSimulator.setBaseURLs`).
    var presenter: Presenter { Presenter(configuration: simulator.configuration) }

    init(simulator: ThingiverseSimulator, prefix: String) {
        self.simulator = simulator
        self.prefix = prefix
    }

    func addRoutes<Context: RequestContext>(to routes: RouteCollection<Context>) {
        routes.addCatchAll(below: prefix) { request, context in
            try await self.handle(request: request, context: context)
        }
    }

    /// Answers one API request.
    func handle(request: Request, context: some RequestContext) async throws -> Response {
        simulator.record(request, prefix: prefix)
        let relativePath = String(request.uri.path.dropFirst(prefix.count))
        let segments = relativePath.pathSegments(below: "")
        switch segments.first {
        case "_media":
            return MediaResponder.respond(method: request.method, segments: Array(segments.dropFirst()))
        case "_storage":
            return StorageResponder(simulator: simulator).respond(method: request.method, segments: Array(segments.dropFirst()))
        case "_uploads" where segments.count == 1:
            return try await UploadReceiver(simulator: simulator).receive(request: request, context: context)
        default:
            break
        }
        if let fault = try await simulator.faultResponse() {
            return fault
        }
        let input = try await RequestInput.read(request, context: context)
        let presentedToken = BearerToken.value(in: request.headers[.authorization]) ?? input.queryParameters["access_token"]
        let configuration = simulator.configuration
        let now = ContinuousClock.now
        let epoch = Timestamp.now()

        let (response, webhooks) = simulator.state.withLock { state -> (Response, [OutgoingDelivery]) in
            let response = answer(
                request: request, relativePath: relativePath, segments: segments, input: input,
                presentedToken: presentedToken, configuration: configuration, now: now, epoch: epoch, state: &state)
            defer { state.outbox.removeAll() }
            return (response, state.outbox)
        }
        simulator.deliveries.dispatch(webhooks)
        return response
    }

    /// Authenticates, counts and routes one request inside the state's lock.
    private func answer(
        request: Request, relativePath: String, segments: [String], input: RequestInput, presentedToken: String?,
        configuration: SimulatorConfiguration, now: ContinuousClock.Instant, epoch: Int, state: inout SimulatorState
    ) -> Response {
        let query = input.queryParameters
        guard let presentedToken, !presentedToken.isEmpty else {
            return Self.unauthorized(
                "missing_token",
                "Send an access token in the Authorization: Bearer header or the access_token parameter.")
        }
        guard let token = state.tokens[presentedToken] else {
            return Self.unauthorized("invalid_token", "The access token is unknown or has been revoked.")
        }
        let rate = state.rateBudgets.consume(
            key: token.value, limit: configuration.rateLimit, window: configuration.rateWindow, now: now, epoch: epoch)
        var headers = rate.headers(withReset: true)
        if let retryAfter = rate.retryAfter {
            headers[.retryAfter] = String(retryAfter)
            return .jsonError(
                .tooManyRequests, code: "rate_limited",
                message: "Rate limit of \(configuration.rateLimit) requests exceeded; retry in \(retryAfter) s.",
                headers: headers)
        }
        do {
            let (route, parameters) = try Self.route(method: request.method, segments: segments)
            let call = APICall(
                parameters: parameters, query: query, input: input, token: token, now: epoch,
                webhookURL: configuration.app(clientID: token.clientID)?.webhookURL)
            switch try route.handle(self, &state, call) {
            case .object(let value, let status):
                return .json(value, status: status, headers: headers)
            case .list(let items):
                let pagination = try Pagination(query: query)
                let base = configuration.api + relativePath.droppingTrailingSlashes
                if let link = pagination.linkHeader(
                    total: items.count, baseURL: base,
                    otherQuery: Pagination.preservedQueryItems(input.query))
                {
                    headers[HTTPField.Name("Link")!] = link
                }
                return .json(.array(pagination.slice(items)), headers: headers)
            case .redirect(let location):
                headers[.location] = location
                headers[.cacheControl] = "no-store"
                return .json(.object([("url", .string(location))]), status: .found, headers: headers)
            }
        } catch let error as APIError {
            return .json(error.json, status: error.status, headers: headers)
        } catch {
            return .jsonError(
                .internalServerError, code: "internal_error", message: "The simulator failed: \(error)",
                headers: headers)
        }
    }

    /// The route for a path, or 404 (no such path) / 405 (path exists, method does not).
    static func route(method: HTTPRequest.Method, segments: [String]) throws(APIError) -> (APIRoute, [String: String]) {
        switch routes.lookup(method: method, segments: segments) {
        case .found(let route, let parameters):
            return (route, parameters)
        case .methodNotAllowed:
            throw APIError(
                status: .methodNotAllowed, code: "method_not_allowed",
                message: "\(method.rawValue) is not supported on /\(segments.joined(separator: "/")).")
        case .notFound:
            throw .notFound("There is no API endpoint at /\(segments.joined(separator: "/")).")
        }
    }

    static func unauthorized(_ code: String, _ message: String) -> Response {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = "Bearer realm=\"Thingiverse\""
        return .jsonError(.unauthorized, code: code, message: message, headers: headers)
    }
}

/// One endpoint of the Thingiverse API; its handler gets the controller (presenter, shared
/// lookups), the state to read or change inside the request's lock, and the call.
typealias APIRoute = SimulatorRoute<@Sendable (APIController, inout SimulatorState, APICall) throws -> APIReply>

extension APIController {
    /// Every endpoint the simulator implements: each `METHOD /path` of the Thingiverse REST
    /// reference, plus `GET /comments` (the reference's "no id" form of `GET /comments/{id}`).
    /// Each resource's routes live in its `APIController+Resource.swift`, every route next to
    /// its handler and the rule it keeps, as Hummingbird route closures do.
    static let routes: [APIRoute] =
        userRoutes + thingRoutes + fileRoutes + copyRoutes + collectionRoutes + commentRoutes + browseRoutes + groupRoutes + orderRoutes
        + routesForComments("things", CommentTarget.thing, "thing") + routesForComments("copies", CommentTarget.copy, "copy")
        + routesForComments("group-topics", CommentTarget.groupTopic, "group topic")

    /// `GET` and `POST .../comments` and `GET .../threaded-comments` of a thing, copy or group
    /// topic (`kind`), whose `:id` names `what`.
    static func routesForComments(_ base: String, _ kind: @escaping @Sendable (Int) -> CommentTarget, _ what: String) -> [APIRoute] {
        [
            // Oldest first.
            APIRoute(.get, "\(base)/:id/comments") { api, state, call in
                .list(try api.comments(on: call.target(kind, what), state, call).map { api.presenter.comment($0, in: state) })
            },
            APIRoute(.post, "\(base)/:id/comments") { try $0.addComment(to: $2.target(kind, what), &$1, $2) },
            APIRoute(.get, "\(base)/:id/threaded-comments") { api, state, call in
                .object(api.presenter.threadedComments(try api.comments(on: call.target(kind, what), state, call), in: state))
            },
        ]
    }
}
