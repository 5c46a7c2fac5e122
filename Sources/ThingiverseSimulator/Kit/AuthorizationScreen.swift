import HTTPTypes
import Hummingbird

/// A simulated provider's authorization screen: `GET` shows "Authorize APP?" for a valid
/// request, `POST` takes the person's Allow or Deny and sends them back to the app. The request
/// is validated again from the posted form, so hidden fields are never trusted. A provider
/// supplies the validation, its page and what Allow grants; the steps are the kit's.
protocol AuthorizationScreen: Sendable {
    associatedtype Simulator: ControlledSimulator
    associatedtype Authorization: AuthorizationRedirect
    associatedtype Failure: AuthorizationFailure

    var simulator: Simulator { get }
    /// Path prefix the web routes are mounted at.
    var prefix: String { get }
    /// The validated request: a registered app, its redirect URI, a known response type.
    func authorization(from parameters: [String: String]) throws(Failure) -> Authorization
    /// The whole "Authorize APP?" page.
    func consentPage(for authorization: Authorization) -> String
    /// A whole page saying why the request cannot be authorized.
    func errorPage(_ message: String) -> String
    /// Whether the redirect leaves `state` out (a fault switch).
    var dropsState: Bool { get }
    /// What pressing Allow as `user` gives the app, as the redirect's location; `nil` when no
    /// seeded user has that name.
    func allow(_ authorization: Authorization, user: String?, echoing state: [(String, String)]) -> String?
}

/// A validated authorization request, which knows how to send the person back to the app.
protocol AuthorizationRedirect: Sendable {
    var state: String? { get }
    /// The redirect URI with `pairs` added to its query (keeping any query it already has).
    func redirect(query pairs: [(String, String)]) -> String
}

/// Why an authorization request cannot be shown, in words for the page.
protocol AuthorizationFailure: Error {
    var message: String { get }
}

extension AuthorizationScreen {
    /// Adds the page (`GET path`) and the decision (`POST path`).
    func addAuthorizeRoutes<Context: RequestContext>(to routes: RouteCollection<Context>, path: String) {
        routes.get(RouterPath(path)) { request, _ in try await self.showPage(request: request) }
        routes.post(RouterPath(path)) { request, context in try await self.decide(request: request, context: context) }
    }

    /// `GET .../authorize`: the consent page, or a 400 page for a bad request.
    func showPage(request: Request) async throws -> Response {
        if let fault = try await simulator.fault(afterLogging: request, prefix: prefix) { return fault }
        let parameters = request.uri.query.map { FormEncoding.dictionary($0) } ?? [:]
        let authorization: Authorization
        do {
            authorization = try self.authorization(from: parameters)
        } catch {
            return .html(errorPage(error.message), status: .badRequest)
        }
        return .html(consentPage(for: authorization), headers: [HTTPField.Name("X-Frame-Options")!: "DENY"])
    }

    /// `POST .../authorize`: the person pressed Allow or Deny; redirects to the app.
    func decide(request: Request, context: some RequestContext) async throws -> Response {
        if let fault = try await simulator.fault(afterLogging: request, prefix: prefix) { return fault }
        let parameters = try await RequestInput.read(request, context: context).oauthParameters
        let authorization: Authorization
        do {
            authorization = try self.authorization(from: parameters)
        } catch {
            return .html(errorPage(error.message), status: .badRequest)
        }
        let echoedState: [(String, String)] = dropsState ? [] : authorization.state.map { [("state", $0)] } ?? []
        switch parameters["decision"] {
        case "deny":
            return .found(authorization.redirect(query: [("error", "access_denied")] + echoedState))
        case "allow":
            guard let location = allow(authorization, user: parameters["user"], echoing: echoedState) else {
                return .html(errorPage("Choose one of the listed users to sign in as."), status: .badRequest)
            }
            return .found(location)
        default:
            return .html(errorPage("Choose Allow or Deny."), status: .badRequest)
        }
    }
}

extension String {
    /// This URI with `pairs` added to its query (keeping any query and fragment it has).
    func addingQuery(_ pairs: [(String, String)]) -> String {
        let (base, fragment) = splitFragment
        let separator = base.contains("?") ? (base.hasSuffix("?") || base.hasSuffix("&") ? "" : "&") : "?"
        return base + separator + FormEncoding.encode(pairs) + (fragment.map { "#" + $0 } ?? "")
    }

    /// The URI before `#`, and what follows it, if anything.
    var splitFragment: (base: String, fragment: String?) {
        guard let hash = firstIndex(of: "#") else { return (self, nil) }
        return (String(self[..<hash]), String(self[index(after: hash)...]))
    }
}
