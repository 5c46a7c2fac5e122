import Foundation
import Hummingbird
import NIOCore

/// `/admin/api/relay/...`: the relay's endpoints and deliveries. The composition root mounts it
/// below `admin/api/relay`, behind ``AdminGuard``.
struct RelayAdminController<Context: RequestContext>: Sendable {
    let store: SQLRelayStore
    /// Tells the dispatcher that endpoints, their secrets or deliveries changed.
    let changed: @Sendable () -> Void

    var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("endpoints", use: listEndpoints)
            .post("endpoints", use: addEndpoint)
            .delete("endpoints/:id", use: removeEndpoint)
            .post("endpoints/:id/rotate-secret", use: rotateSecret)
            .post("endpoints/:id/replay", use: replay)
            .get("deliveries", use: deliveries)
            .get("deliveries/:id", use: delivery)
            .post("deliveries/:id/retry", use: retry)
        return routes
    }

    /// `GET /admin/api/relay/endpoints`: every endpoint with its health; never a secret.
    func listEndpoints(request: Request, context: Context) async throws -> Response {
        let statuses = try await store.endpoints()
        return try AdminController<Context>.json(EndpointList(endpoints: statuses.map(RelayViews.Endpoint.init)))
    }

    struct EndpointList: Encodable {
        let endpoints: [RelayViews.Endpoint]
    }

    /// `POST /admin/api/relay/endpoints` `{"url", "types"?}`: 201 with the new `whsec_` secret, shown this once.
    func addEndpoint(request: Request, context: Context) async throws -> Response {
        let body = try await Self.jsonObject(request, context: context)
        guard case .string(let url)? = body["url"] else {
            throw AppError(
                .badRequest, "invalid_body",
                "The body must be JSON with \"url\" (and optionally \"types\", a list such as [\"thingiverse.order.*\"]).")
        }
        var patterns: [String] = []
        switch body["types"] {
        case nil, .null?:
            break
        case .array(let items)?:
            for item in items {
                guard case .string(let text) = item else { throw RelayError.invalidTypes("every type filter is a string") }
                patterns.append(text)
            }
        case .string(let text)?:
            patterns = text.split(separator: ",").map(String.init)
        default:
            throw RelayError.invalidTypes("types is a list of strings")
        }
        let types: RelayTypeFilter
        do {
            types = try RelayTypeFilter(patterns)
        } catch {
            throw RelayError.invalidTypes(error.description)
        }
        let (endpoint, secret) = try await store.addEndpoint(url: url, types: types)
        changed()
        var response = try AdminController<Context>.json(
            RelayViews.NewSecret(endpoint: RelayViews.Endpoint(endpoint), secret: secret, note: "Keep this secret now: it is not shown again."))
        response.status = .created
        return response
    }

    /// `DELETE /admin/api/relay/endpoints/:id`: 204; configured endpoints are 409.
    func removeEndpoint(request: Request, context: Context) async throws -> Response {
        try await store.removeEndpoint(id: context.parameters.get("id") ?? "")
        changed()
        return Response(status: .noContent, headers: [.cacheControl: "no-store"])
    }

    /// `POST /admin/api/relay/endpoints/:id/rotate-secret`: a new secret (shown once); the old one signs beside it for a day.
    func rotateSecret(request: Request, context: Context) async throws -> Response {
        let id = context.parameters.get("id") ?? ""
        let rotation = try await store.rotateSecret(endpointID: id)
        changed()
        guard let endpoint = try await store.endpoint(id: id) else { throw RelayError.endpointNotFound(id) }
        return try AdminController<Context>.json(
            RelayViews.NewSecret(
                endpoint: RelayViews.Endpoint(endpoint), secret: rotation.secret,
                note:
                    "Keep this secret now: it is not shown again. Until \(AdminViews.time(rotation.previousValidUntil)) every delivery carries a signature with the old secret too."
            ))
    }

    /// `POST /admin/api/relay/endpoints/:id/replay?since=TIME`: queues the events since then again.
    func replay(request: Request, context: Context) async throws -> Response {
        let id = context.parameters.get("id") ?? ""
        guard let text = request.uri.queryParameters["since"] else {
            throw AppError(
                .badRequest, "invalid_parameter", "since is required: an ISO 8601 time such as 2024-05-01T12:00:00Z, a date, or seconds since 1970.")
        }
        let since = try AdminController<Context>.time(String(text), name: "since")
        let count = try await store.replay(endpointID: id, since: since)
        changed()
        return try AdminController<Context>.json(Replayed(endpointID: id, queued: count))
    }

    struct Replayed: Encodable {
        let endpointID: String
        let queued: Int
    }

    /// `GET /admin/api/relay/deliveries?state=&endpoint=&event_id=&limit=&cursor=`, newest first.
    func deliveries(request: Request, context: Context) async throws -> Response {
        let parameters = request.uri.queryParameters
        let state = try parameters["state"].map { text in
            guard let state = RelayDeliveryState(rawValue: String(text)) else {
                throw AppError(
                    .badRequest, "invalid_parameter", "state must be one of \(RelayDeliveryState.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            return state
        }
        let query = RelayDeliveryQuery(
            state: state, endpointID: parameters["endpoint"].map(String.init),
            eventID: try parameters["event_id"].map { try AdminController<Context>.identifier(String($0), name: "event_id") },
            page: try AdminController<Context>.page(parameters))
        let page = try await AdminController<Context>.mappingCursor { try await store.deliveries(query) }
        return try AdminController<Context>.json(
            AdminViews.Listing(key: "deliveries", items: page.items.map { RelayViews.Delivery($0) }, nextCursor: page.nextCursor))
    }

    /// `GET /admin/api/relay/deliveries/:id`, with every attempt.
    func delivery(request: Request, context: Context) async throws -> Response {
        let id = try AdminController<Context>.identifier(context.parameters.get("id") ?? "", name: "id")
        guard let found = try await store.delivery(id: id) else { throw RelayError.deliveryNotFound(id) }
        return try AdminController<Context>.json(RelayViews.Delivery(found.delivery, attempts: found.attempts))
    }

    /// `POST /admin/api/relay/deliveries/:id/retry`: sends it again now, with the whole schedule ahead.
    func retry(request: Request, context: Context) async throws -> Response {
        let id = try AdminController<Context>.identifier(context.parameters.get("id") ?? "", name: "id")
        let delivery = try await store.retry(deliveryID: id)
        changed()
        return try AdminController<Context>.json(RelayViews.Delivery(delivery))
    }

    /// A small JSON object body (at most 16 KiB).
    static func jsonObject(_ request: Request, context: Context) async throws -> [String: JSONValue] {
        let buffer = try await request.body.collect(upTo: 16 * 1024)
        guard case .object(let members) = try? JSONParser.parse(buffer.readableBytesView) else {
            throw AppError(.badRequest, "invalid_body", "The body must be a JSON object.")
        }
        return members
    }
}
