import Hummingbird
import Synchronization

/// What every simulated provider offers its tests and scripts, kept apart from its data: the
/// requests it has seen and its fault switches. A provider's simulator holds one and conforms
/// to ``ControlledSimulator``, which gives it the public controls.
public final class SimulatorControls: Sendable {
    /// The provider's host name, as the fault pages show it.
    let host: String
    private let state = Mutex((log: RequestLog(), faults: SimulatorFaults()))

    init(host: String) {
        self.host = host
    }

    var faults: SimulatorFaults {
        get { state.withLock { $0.faults } }
        set { state.withLock { $0.faults = newValue } }
    }

    /// Notes `entry`, also under `otherNames` (see ``RequestLog/record(_:otherNames:)``).
    func record(_ entry: LoggedRequest, otherNames: [String] = []) {
        state.withLock { $0.log.record(entry, otherNames: otherNames) }
    }

    func count(path: String) -> Int {
        state.withLock { $0.log.count(path: path) }
    }

    var lines: [String] {
        state.withLock { $0.log.lines }
    }
}

/// A simulator with the kit's controls; its public test controls come from this protocol.
public protocol ControlledSimulator: AnyObject, Sendable {
    /// Its request log and fault switches.
    var controls: SimulatorControls { get }
}

extension ControlledSimulator {
    /// The fault switches in force.
    public var faults: SimulatorFaults { controls.faults }

    /// Replaces all fault switches at once.
    public func setFaults(_ faults: SimulatorFaults) {
        controls.faults = faults
    }

    /// Replaces all fault switches: all off but those `adjust` turns on, e.g.
    /// `simulator.setFaults { $0.htmlChallenge = true }`.
    public func setFaults(_ adjust: (inout SimulatorFaults) -> Void) {
        var faults = SimulatorFaults()
        adjust(&faults)
        controls.faults = faults
    }

    /// How many requests reached `path` (full path or path below the prefix; query strings and a
    /// trailing slash are ignored), e.g. to prove that no token request was made.
    public func requestCount(path: String) -> Int {
        controls.count(path: path)
    }

    /// Every request seen, as `"METHOD /full/path"` (no query string, unless the simulator keeps
    /// a redacted one), in arrival order, with the method that arrived. A long-running simulator
    /// keeps only the most recent 10,000 or more.
    public func requestLog() -> [String] {
        controls.lines
    }

    /// Notes a request in the log.
    func record(_ request: Request, prefix: String) {
        controls.record(LoggedRequest(request, prefix: prefix))
    }

    /// The kit's first steps for a request to an OAuth or API route: notes it in the log, then
    /// returns the page the fault switches answer with instead, if any.
    func fault(afterLogging request: Request, prefix: String) async throws -> Response? {
        record(request, prefix: prefix)
        return try await faultResponse()
    }

    /// Applies the edge faults (`delay`, `htmlChallenge`, `serverError`, `htmlErrorPage`):
    /// sleeps if asked, then returns the response to send instead of the real one, if any.
    func faultResponse() async throws -> Response? {
        try await faults.response(host: controls.host)
    }
}
