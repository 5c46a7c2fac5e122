import Foundation
import Hummingbird
import NIOCore

/// `/admin/api/...`: read-only views of stored webhook events, orders and quarantined bodies.
/// The composition root mounts it below `admin/api`, behind ``AdminGuard``.
struct AdminController<Context: RequestContext>: Sendable {
    let store: SQLWebhookEventStore
    /// Thingiverse's orders, kept by its projection of the event log.
    let orders: any OrderStore

    var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("events", use: events)
            .get("events/export", use: export)
            .get("events/:id", use: event)
            .get("orders", use: orders)
            .get("orders/:id", use: order)
            .get("quarantine", use: quarantine)
            .get("stats", use: stats)
        return routes
    }

    /// `GET /admin/api/stats[?since=&until=&basis=order|received]`: exact figures of whole UTC
    /// days `since..<until`, from the kept per-day figures.
    func stats(request: Request, context: Context) async throws -> Response {
        let parameters = request.uri.queryParameters
        func day(_ name: Substring) throws -> String? {
            guard let text = parameters[name].map(String.init) else { return nil }
            guard let date = AdminTime.parse(text), let day = UTCDay.text(midnight: date) else {
                throw AppError(
                    .badRequest, "invalid_parameter",
                    "\(name) must be a date such as 2024-05-01 (figures are kept per UTC day, so a time must be midnight UTC).")
            }
            return day
        }
        let since = try day("since")
        let until = try day("until")
        var basis = FigureBasis.order
        if let text = parameters["basis"] {
            guard let parsed = FigureBasis(rawValue: String(text)) else {
                throw AppError(.badRequest, "invalid_parameter", "basis must be order (the orders' own dates) or received (the days they arrived).")
            }
            basis = parsed
        }
        if let since, let until, since > until {
            throw AppError(.badRequest, "invalid_parameter", "since must not be after until.")
        }
        let statistics = try await orders.statistics(basis: basis, since: since, until: until)
        return try Self.json(AdminViews.Statistics(statistics))
    }

    /// `GET /admin/api/events?source=&event=&order_id=&since=&until=&limit=&cursor=`, newest first.
    func events(request: Request, context: Context) async throws -> Response {
        let parameters = request.uri.queryParameters
        let source = try parameters["source"].map { text in
            let source = EventSource(rawValue: String(text))
            guard EventSource.builtIn.contains(source) else {
                throw AppError(.badRequest, "bad_source", "source must be one of \(EventSource.builtIn.map(\.rawValue).joined(separator: ", ")).")
            }
            return source
        }
        let query = EventQuery(
            source: source,
            event: parameters["event"].map(String.init),
            subjectID: try parameters["order_id"].map { try Self.identifier(String($0), name: "order_id") },
            since: try parameters["since"].map { try Self.time(String($0), name: "since") },
            until: try parameters["until"].map { try Self.time(String($0), name: "until") },
            page: try Self.page(parameters)
        )
        let page = try await Self.mappingCursor { try await store.events(query) }
        return try Self.json(AdminViews.Listing(key: "events", items: page.items.map(AdminViews.EventSummary.init), nextCursor: page.nextCursor))
    }

    /// `GET /admin/api/events/export[?after=ID]`: every event as JSON lines (oldest first, raw
    /// bodies included), the dashboard's download link; same lines as `thingbridge events export`.
    func export(request: Request, context: Context) async throws -> Response {
        let start = try request.uri.queryParameters["after"].map { try Self.identifier(String($0), name: "after") } ?? 0
        let store = self.store
        let body = ResponseBody { writer in
            try await AdminViews.exportEvents(from: store, after: start, batchSize: 500) { try await writer.write(ByteBuffer(bytes: $0)) }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/x-ndjson; charset=utf-8", .cacheControl: "no-store",
                .contentDisposition: "attachment; filename=\"thingbridge-events.jsonl\"",
            ],
            body: body
        )
    }

    /// `GET /admin/api/events/:id`, with the raw body.
    func event(request: Request, context: Context) async throws -> Response {
        let id = try Self.identifier(context.parameters.get("id") ?? "", name: "id")
        guard let event = try await store.event(id: id) else {
            throw AppError(.notFound, "not_found", "There is no event \(id).")
        }
        return try Self.json(AdminViews.EventDetail(event))
    }

    /// `GET /admin/api/orders?state=&thing_id=&q=&limit=&cursor=`, highest order id first; `q` finds an
    /// order id or a thing id.
    func orders(request: Request, context: Context) async throws -> Response {
        let parameters = request.uri.queryParameters
        var state: OrderState?
        if let text = parameters["state"] {
            guard let parsed = OrderState(rawValue: String(text)) else {
                let states = OrderState.allCases.map(\.rawValue).joined(separator: ", ")
                throw AppError(.badRequest, "invalid_parameter", "state must be one of \(states).")
            }
            state = parsed
        }
        let search = try parameters["q"].flatMap { text -> Int64? in
            // `#1234` as the dashboard shows ids; an empty box is no search.
            let trimmed = text.trimmingCharacters(in: .whitespaces).drop { $0 == "#" }
            return trimmed.isEmpty ? nil : try Self.identifier(String(trimmed), name: "q (an order id or a thing id)")
        }
        let query = OrderQuery(
            state: state, thingID: try parameters["thing_id"].map { try Self.identifier(String($0), name: "thing_id") }, search: search,
            page: try Self.page(parameters))
        let page = try await Self.mappingCursor { try await orders.orders(query) }
        return try Self.json(AdminViews.Listing(key: "orders", items: page.items, nextCursor: page.nextCursor))
    }

    /// `GET /admin/api/orders/:id`: state and history.
    func order(request: Request, context: Context) async throws -> Response {
        let id = try Self.identifier(context.parameters.get("id") ?? "", name: "id")
        guard let order = try await orders.order(id: id) else {
            throw AppError(.notFound, "not_found", "There is no order \(id).")
        }
        let history = try await orders.history(orderID: id)
        return try Self.json(AdminViews.OrderDetail(order, history: history))
    }

    /// `GET /admin/api/quarantine?limit=&cursor=`, newest first.
    func quarantine(request: Request, context: Context) async throws -> Response {
        let page = try Self.page(request.uri.queryParameters)
        let result = try await Self.mappingCursor { try await store.quarantined(page) }
        return try Self.json(
            AdminViews.Listing(key: "quarantine", items: result.items.map(AdminViews.Quarantined.init), nextCursor: result.nextCursor))
    }

    static func page(_ parameters: Parameters) throws -> PageQuery {
        var limit = 50
        if let text = parameters["limit"] {
            guard let value = Int(text), (1...PageQuery.maximumLimit).contains(value) else {
                throw AppError(.badRequest, "invalid_parameter", "limit must be a number from 1 to \(PageQuery.maximumLimit).")
            }
            limit = value
        }
        return PageQuery(limit: limit, cursor: parameters["cursor"].map(String.init))
    }

    static func identifier(_ text: String, name: String) throws -> Int64 {
        guard let id = Int64(text), id >= 0 else {
            throw AppError(.badRequest, "invalid_parameter", "\(name) must be a whole number.")
        }
        return id
    }

    /// ISO 8601 (`2024-05-01T12:00:00Z`), a date (`2024-05-01`, midnight UTC) or seconds since 1970.
    static func time(_ text: String, name: String) throws -> Date {
        if let date = AdminTime.parse(text) { return date }
        throw AppError(
            .badRequest, "invalid_parameter", "\(name) must be an ISO 8601 time such as 2024-05-01T12:00:00Z, a date, or seconds since 1970.")
    }

    static func mappingCursor<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch is SQLWebhookEventStore.InvalidCursor {
            throw AppError(.badRequest, "invalid_parameter", "cursor must be a next_cursor value from a previous page.")
        }
    }

    static func json(_ value: some Encodable) throws -> Response {
        let data = try AdminViews.encoder().encode(value)
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}

/// Times given to admin filters (HTTP query and CLI flags).
public enum AdminTime {
    /// ISO 8601 with or without fractional seconds, a plain date (midnight UTC), or seconds since 1970.
    public static func parse(_ text: String) -> Date? {
        if let seconds = Int64(text) { return Date(timeIntervalSince1970: TimeInterval(seconds)) }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle()) { return date }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle().year().month().day()) { return date }
        return nil
    }
}
