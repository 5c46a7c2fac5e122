import HTTPTypes
import Hummingbird

/// What a sign-in session says about the person making a request.
public enum AdminSessionVerdict: Sendable, Equatable {
    /// Signed in as a user listed in `THINGBRIDGE_ADMIN_USERS`.
    case admin
    /// Signed in, but not an admin.
    case notAdmin
    /// No session.
    case anonymous
}

/// The hook through which sign-in sessions open the admin API (the session code plugs in here).
public protocol AdminSessionCheck: Sendable {
    func verdict(for request: Request) async -> AdminSessionVerdict
}

/// Decides who may use `/admin/api/`: a script with `Authorization: Bearer THINGBRIDGE_ADMIN_TOKEN`
/// (compared in constant time), or a signed-in admin user through ``AdminSessionCheck``.
///
/// A bearer token, when sent, decides alone: wrong → 401. Without one, the session decides:
/// none → 401, a non-admin user → 403.
public struct AdminGuard: Sendable {
    let token: SecretDigest?
    let sessionCheck: (any AdminSessionCheck)?
    /// Whose pages may change things with a session cookie: the site's own.
    let sameOrigin: SameOriginPolicy?

    public init(token: Secret?, sessionCheck: (any AdminSessionCheck)? = nil, sameOrigin: SameOriginPolicy? = nil) {
        self.token = token.map(SecretDigest.init)
        self.sessionCheck = sessionCheck
        self.sameOrigin = sameOrigin
    }

    /// Throws 401 or 403 unless the request may use the admin API.
    public func authorize(_ request: Request) async throws {
        if let authorization = request.headers[.authorization] {
            let prefix = "bearer "
            guard authorization.count > prefix.count, authorization.prefix(prefix.count).lowercased() == prefix,
                let token, token.matches(authorization.dropFirst(prefix.count))
            else {
                throw Self.unauthorized("The admin token is not valid.")
            }
            return
        }
        switch await sessionCheck?.verdict(for: request) ?? .anonymous {
        case .admin:
            // A cookie goes along with requests from other sites too: changes need our own pages.
            guard SameOriginPolicy.isSafe(request.method) || sameOrigin?.allows(request) != false else {
                throw AppError(.forbidden, "cross_site_request", "Admin changes must come from this site's own pages (or use the admin token).")
            }
            return
        case .notAdmin:
            throw AppError(.forbidden, "forbidden", "Your account is not one of the admin users (THINGBRIDGE_ADMIN_USERS).")
        case .anonymous:
            throw Self.unauthorized("Sign in as an admin user, or send Authorization: Bearer with THINGBRIDGE_ADMIN_TOKEN.")
        }
    }

    private static func unauthorized(_ message: String) -> AppError {
        AppError(.unauthorized, "unauthorized", message, headers: [.wwwAuthenticate: "Bearer"])
    }
}

/// Runs ``AdminGuard`` before every route of the group it is added to.
struct AdminGuardMiddleware<Context: RequestContext>: RouterMiddleware {
    let guardian: AdminGuard

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await guardian.authorize(request)
        return try await next(request, context)
    }
}
