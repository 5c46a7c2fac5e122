import HTTPTypes
import Hummingbird

/// `GET/POST {web}/_control/faults`: lets scripts and browser tests read and flip the fault
/// switches over HTTP. It has no authentication, which is one reason the simulator is only
/// ever mounted in development. Faults never apply to this endpoint itself.
struct ControlController: Sendable {
    let simulator: ThingiverseSimulator
    let prefix: String

    /// The on/off switches by JSON name, in the order the JSON lists them after `delayMilliseconds`.
    static var switches: [(String, WritableKeyPath<SimulatorFaults, Bool>)] {
        [
            ("htmlChallenge", \.htmlChallenge), ("serverError", \.serverError), ("htmlErrorPage", \.htmlErrorPage),
            ("formRepliesAsHTML", \.formRepliesAsHTML), ("dropState", \.dropState), ("foreignAudience", \.foreignAudience),
        ]
    }

    /// The JSON shape of the faults: `{"delayMilliseconds": 0, "htmlChallenge": false, ...}`.
    static func json(_ faults: SimulatorFaults) -> JSONValue {
        let delay = faults.delay.map { Int(($0.seconds * 1000).rounded()) } ?? 0
        return .object([("delayMilliseconds", .integer(delay))] + switches.map { ($0.0, .bool(faults[keyPath: $0.1])) })
    }

    func addRoutes<Context: RequestContext>(to routes: RouteCollection<Context>) {
        routes.get(RouterPath("\(prefix)/_control/faults")) { request, _ in
            self.simulator.record(request, prefix: self.prefix)
            return Response.json(Self.json(self.simulator.faults))
        }
        routes.post(RouterPath("\(prefix)/_control/faults")) { request, context in
            try await self.setFaults(request: request, context: context)
        }
    }

    /// Replaces the faults with those in the JSON body; a POST replaces all switches, and fields
    /// left out are off. Only `application/json` is accepted, so an ordinary cross-site form
    /// cannot flip the switches.
    func setFaults(request: Request, context: some RequestContext) async throws -> Response {
        simulator.record(request, prefix: prefix)
        let input = try await RequestInput.read(request, context: context)
        guard input.isJSON else {
            return .jsonError(
                .unsupportedMediaType, code: "unsupported_media_type", message: "Send the faults as application/json.")
        }
        let invalid = Response.jsonError(
            .badRequest, code: "invalid_json",
            message: "Expected {\"delayMilliseconds\": Int, " + Self.switches.map { "\"\($0.0)\": Bool" }.joined(separator: ", ") + "}.")
        guard let members = input.body.isEmpty ? [:] : input.jsonObjectMembers else { return invalid }
        var faults = SimulatorFaults()
        for (name, path) in Self.switches {
            switch members[name] {
            case nil, .null?: break
            case .bool(let on)?: faults[keyPath: path] = on
            default: return invalid
            }
        }
        var milliseconds = 0
        switch members["delayMilliseconds"] {
        case nil, .null?: break
        case .integer(let value)?: milliseconds = value
        default: return invalid
        }
        guard (0...600_000).contains(milliseconds) else {
            return .jsonError(
                .badRequest, code: "invalid_delay", message: "delayMilliseconds must be between 0 and 600000.")
        }
        faults.delay = milliseconds > 0 ? .milliseconds(milliseconds) : nil
        simulator.setFaults(faults)
        return .json(Self.json(faults))
    }
}
