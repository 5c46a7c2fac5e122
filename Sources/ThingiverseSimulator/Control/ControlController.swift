import Foundation
import HTTPTypes
import Hummingbird

/// `GET/POST {web}/_control/faults`: lets scripts and browser tests read and flip the fault
/// switches over HTTP. It has no authentication, which is one reason the simulator is only
/// ever mounted in development. Faults never apply to this endpoint itself.
struct ControlController: Sendable {
    let simulator: ThingiverseSimulator
    let prefix: String

    /// The JSON shape of the faults: `{"delayMilliseconds": 0, "htmlChallenge": false, ...}`.
    /// A POST replaces all switches; fields left out are off.
    struct FaultsBody: Codable, Equatable {
        var delayMilliseconds: Int?
        var htmlChallenge: Bool?
        var serverError: Bool?
        var htmlErrorPage: Bool?
        var formRepliesAsHTML: Bool?
        var dropState: Bool?
        var foreignAudience: Bool?

        init(_ faults: SimulatorFaults) {
            let delay = faults.delay.map { Int(($0.seconds * 1000).rounded()) } ?? 0
            self.delayMilliseconds = delay
            self.htmlChallenge = faults.htmlChallenge
            self.serverError = faults.serverError
            self.htmlErrorPage = faults.htmlErrorPage
            self.formRepliesAsHTML = faults.formRepliesAsHTML
            self.dropState = faults.dropState
            self.foreignAudience = faults.foreignAudience
        }

        var json: JSONValue {
            .object([
                ("delayMilliseconds", .integer(delayMilliseconds ?? 0)),
                ("htmlChallenge", .bool(htmlChallenge ?? false)),
                ("serverError", .bool(serverError ?? false)),
                ("htmlErrorPage", .bool(htmlErrorPage ?? false)),
                ("formRepliesAsHTML", .bool(formRepliesAsHTML ?? false)),
                ("dropState", .bool(dropState ?? false)),
                ("foreignAudience", .bool(foreignAudience ?? false)),
            ])
        }
    }

    func addRoutes<Context: RequestContext>(to routes: RouteCollection<Context>) {
        routes.get(RouterPath("\(prefix)/_control/faults")) { request, _ in
            self.simulator.record(request, prefix: self.prefix)
            return Response.json(FaultsBody(self.simulator.faults).json)
        }
        routes.post(RouterPath("\(prefix)/_control/faults")) { request, context in
            try await self.setFaults(request: request, context: context)
        }
    }

    /// Replaces the faults with those in the JSON body. Only `application/json` is accepted, so
    /// an ordinary cross-site form cannot flip the switches.
    func setFaults(request: Request, context: some RequestContext) async throws -> Response {
        simulator.record(request, prefix: prefix)
        let input = try await RequestInput.read(request, context: context)
        guard input.isJSON else {
            return .jsonError(
                .unsupportedMediaType, code: "unsupported_media_type", message: "Send the faults as application/json.")
        }
        let body: FaultsBody
        do {
            body = try JSONDecoder().decode(FaultsBody.self, from: Data(input.body.isEmpty ? Array("{}".utf8) : input.body))
        } catch {
            return .jsonError(
                .badRequest, code: "invalid_json",
                message: "Expected {\"delayMilliseconds\": Int, \"htmlChallenge\": Bool, \"serverError\": Bool, "
                    + "\"htmlErrorPage\": Bool, \"formRepliesAsHTML\": Bool, \"dropState\": Bool, \"foreignAudience\": Bool}.")
        }
        let milliseconds = body.delayMilliseconds ?? 0
        guard (0...600_000).contains(milliseconds) else {
            return .jsonError(
                .badRequest, code: "invalid_delay", message: "delayMilliseconds must be between 0 and 600000.")
        }
        var faults = SimulatorFaults()
        faults.delay = milliseconds > 0 ? .milliseconds(milliseconds) : nil
        faults.htmlChallenge = body.htmlChallenge ?? false
        faults.serverError = body.serverError ?? false
        faults.htmlErrorPage = body.htmlErrorPage ?? false
        faults.formRepliesAsHTML = body.formRepliesAsHTML ?? false
        faults.dropState = body.dropState ?? false
        faults.foreignAudience = body.foreignAudience ?? false
        simulator.setFaults(faults)
        return .json(FaultsBody(faults).json)
    }
}
