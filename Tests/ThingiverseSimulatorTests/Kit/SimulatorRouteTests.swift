import HTTPTypes
import Testing

@testable import ThingiverseSimulator

/// The kit's API route table: the first matching route, else 405 with the path's methods, else 404.
@Suite struct SimulatorRouteTests {
    typealias Route = SimulatorRoute<@Sendable () -> String>

    static let routes: [Route] = [
        Route(.get, "things/lookup") { "lookup" },
        Route(.get, "things/:id") { "thing" },
        Route(.patch, "things/:id") { "update" },
    ]

    @Test func literalSegmentsWinWhenTheyComeFirst() throws {
        guard case .found(let route, let parameters) = Self.routes.lookup(method: .get, segments: ["things", "lookup"]) else {
            Issue.record("things/lookup was not found.")
            return
        }
        #expect(route.handle() == "lookup" && parameters.isEmpty)
        guard case .found(_, let captured) = Self.routes.lookup(method: .patch, segments: ["things", "42"]) else {
            Issue.record("PATCH things/42 was not found.")
            return
        }
        #expect(captured == ["id": "42"])
    }

    @Test func anExistingPathWithAnotherMethodListsItsMethodsInTableOrder() {
        guard case .methodNotAllowed(let allowed) = Self.routes.lookup(method: .delete, segments: ["things", "lookup"]) else {
            Issue.record("DELETE things/lookup was not 405.")
            return
        }
        #expect(allowed == [.get, .get, .patch])
        guard case .notFound = Self.routes.lookup(method: .get, segments: ["users"]) else {
            Issue.record("An unknown path was not 404.")
            return
        }
    }

    @Test func bearerTokensAreReadFromTheBearerSchemeOnly() {
        #expect(BearerToken.nonEmptyValue(in: "Bearer abc") == "abc")
        #expect(BearerToken.nonEmptyValue(in: "bearer  abc ") == "abc")
        #expect(BearerToken.nonEmptyValue(in: "Basic abc") == nil)
        #expect(BearerToken.nonEmptyValue(in: "Bearer ") == nil)
        #expect(BearerToken.value(in: "Bearer  ") == "")
    }
}
