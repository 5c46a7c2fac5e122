import Hummingbird
import HummingbirdTesting
import ThingiverseSimulator

/// A fake provider that tests mount at a web and an API prefix and that hands out tokens as if
/// a user had pressed Allow: the Thingiverse and the Flattr simulators.
protocol MountableSimulator: ControlledSimulator {
    /// The client id of the fixture's first app, whose tokens most tests use.
    static var testClientID: String { get }

    /// The OAuth pages below `webPrefix` and the REST API below `apiPrefix`.
    func routes<Context: RequestContext>(
        context: Context.Type, webPrefix: String, apiPrefix: String
    ) -> RouteCollection<Context>

    /// A token as if `user` had pressed Allow for the app `clientID`.
    func issueToken(user: String, clientID: String) -> String
}

extension ThingiverseSimulator: MountableSimulator {
    static var testClientID: String { Fixture.app.clientID }
}

extension FlattrSimulator: MountableSimulator {
    static var testClientID: String { FlattrFixture.app.clientID }
}

extension MountableSimulator {
    /// A token of the fixture's first app for `user`.
    func token(for user: String) -> String {
        issueToken(user: user, clientID: Self.testClientID)
    }
}

/// Mounts `routes` in a fresh router and runs `test` against them through HummingbirdTesting's
/// in-process router client.
func withRoutes<Value: Sendable>(
    _ routes: RouteCollection<BasicRequestContext>,
    _ test: @Sendable (any TestClientProtocol) async throws -> Value
) async throws -> Value {
    let router = Router()
    router.addRoutes(routes)
    return try await Application(router: router).test(.router, test)
}

/// Mounts `simulator` at "" (web) and "/api" in a fresh router and runs `test` against it.
func withRouter<Value: Sendable>(
    _ simulator: some MountableSimulator,
    webPrefix: String = "",
    apiPrefix: String = "/api",
    _ test: @Sendable (any TestClientProtocol) async throws -> Value
) async throws -> Value {
    try await withRoutes(simulator.routes(context: BasicRequestContext.self, webPrefix: webPrefix, apiPrefix: apiPrefix), test)
}

/// Mounts `simulator` as `withRouter` does and runs `test` with a token of the fixture's first
/// app for `user`, issued before the first request.
func withRouter<Value: Sendable>(
    _ simulator: some MountableSimulator,
    signedIn user: String,
    _ test: @Sendable (_ client: any TestClientProtocol, _ token: String) async throws -> Value
) async throws -> Value {
    let token = simulator.token(for: user)
    return try await withRouter(simulator) { client in try await test(client, token) }
}
