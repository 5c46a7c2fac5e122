import Hummingbird
import NIOCore
import Prometheus

/// `/healthz` (the process answers), `/readyz` (the database answers) and `/metrics`.
public struct OperationsController<Context: RequestContext>: Sendable {
    let database: Database
    let registry: PrometheusCollectorRegistry

    public var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("healthz", use: healthz)
        routes.get("readyz", use: readyz)
        routes.get("metrics", use: metrics)
        return routes
    }

    struct Status: ResponseEncodable {
        let status: String
    }

    func healthz(request: Request, context: Context) async throws -> Status {
        Status(status: "ok")
    }

    func readyz(request: Request, context: Context) async throws -> Status {
        do {
            try await database.ping(timeout: .seconds(2))
        } catch {
            throw AppError(.serviceUnavailable, "not_ready", "The database is not reachable.", headers: [.retryAfter: "5"])
        }
        do {
            // A write that failed moments ago (e.g. a full disk) counts, even if this probe fits.
            guard !database.writesFailedRecently() else { throw StorageError.unavailable(reason: "recent write failures") }
            try await database.probeWrite(timeout: .seconds(2))
        } catch {
            throw AppError(
                .serviceUnavailable, "not_ready", "The database answers but cannot store anything (full or read-only).", headers: [.retryAfter: "5"])
        }
        return Status(status: "ready")
    }

    func metrics(request: Request, context: Context) async throws -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer()))
        )
    }
}
