import Foundation
import HTTPTypes
import Hummingbird

/// Single sign-on into the app's UserEcho forum: `GET /sso/userecho[?return_to=/path]` sends a
/// signed-in person to the forum already signed in (a signed-out one signs in first and comes
/// back), `GET /sso/userecho/token` gives the forum widget a token.
struct SingleSignOnController<Context: RequestContext>: Sendable {
    let cookies: SessionCookies
    let sso: UserEchoSSOToken
    /// `USERECHO_URL`, without a trailing slash.
    let forumURL: String

    var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("userecho", use: forum)
        routes.get("userecho/token", use: token)
        return routes
    }

    /// The path on the forum, validated as strictly as sign-in's return_to: it can only ever be
    /// a path on the forum's own host.
    func forum(request: Request, context: Context) async throws -> Response {
        let path = ReturnPath(request.uri.queryParameters["return_to"].map(String.init)).path
        guard let session = try await cookies.session(from: request) else {
            // The forum path travels unencoded: return_to refuses encoded slashes.
            let back = "/sso/userecho?return_to=" + path
            return SignInController<Context>.redirect(to: "/auth/login?return_to=" + FormEncoding.escape(back))
        }
        let token = try sso.token(for: session).token
        let separator = path.contains("?") ? "&" : "?"
        return SignInController<Context>.redirect(to: forumURL + path + separator + "sso_token=" + FormEncoding.escape(token))
    }

    struct TokenReply: ResponseEncodable {
        let sso_token: String
        let expires: Int64
    }

    /// `{"sso_token", "expires"}` for UserEcho's widget, URL-encoded as the widget's params expect.
    func token(request: Request, context: Context) async throws -> Response {
        guard let session = try await cookies.session(from: request) else {
            throw AppError(.unauthorized, "not_signed_in", "Sign in first.", action: .init(label: "Sign in", href: "/auth/login"))
        }
        let issued = try sso.token(for: session)
        var response = try TokenReply(sso_token: FormEncoding.escape(issued.token), expires: issued.expires).response(from: request, context: context)
        response.headers[.cacheControl] = "no-store"
        return response
    }
}
