import SQLKit

/// The sources' projections as each part of the event log reads them: the writer, the reads,
/// the relay and retention. At most one per source.
///
/// Every store defaults to ``builtIn``, the projections of ThingBridge's own webhook sources
/// (`Providers/BuiltInProviders.swift` lists them), so a tool that opens the log without the
/// server (the CLI) sees, relays and prunes events exactly as the server does.
public struct EventProjections: Sendable {
    public let all: [any EventProjection]

    public init(_ projections: [any EventProjection]) {
        precondition(Set(projections.map(\.source)).count == projections.count, "at most one projection per source")
        all = projections
    }

    /// The projection of `source`, if it has one.
    public func of(_ source: EventSource) -> (any EventProjection)? {
        all.first { $0.source == source }
    }

    /// The type an event is relayed as: its projection's name for it, or `<source>.<event>`.
    public func relayType(source: EventSource, event: String) -> String {
        of(source)?.relayType(of: event) ?? source.rawValue + "." + event
    }

    /// What they add to relayed events.
    public var relayAnnotations: [RelayAnnotation] { all.flatMap(\.relayAnnotations) }

    /// Their columns shown with every event.
    public var shownColumns: [ShownColumn] { all.flatMap(\.shownColumns) }

    /// Retention's conditions under which an event is kept however old, each over `e`.
    public var keptWhile: [String] { all.compactMap(\.keptWhile) }
}

/// `[OrderProjection()]` where a catalogue is expected (tests name the projections they need).
extension EventProjections: ExpressibleByArrayLiteral {
    public init(arrayLiteral projections: (any EventProjection)...) {
        self.init(projections)
    }
}
