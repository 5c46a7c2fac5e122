/// A simulated API's path pattern, e.g. `things/:id/likes`: `:name` captures a segment.
/// Shared by the Thingiverse, Flattr and UserEcho simulators' route tables.
struct PathPattern: Sendable {
    let components: [Substring]

    init(_ pattern: String) {
        components = pattern.split(separator: "/")
    }

    /// The captures if `segments` fit the pattern.
    func match(_ segments: [String]) -> [String: String]? {
        guard segments.count == components.count else { return nil }
        var captures: [String: String] = [:]
        for (component, segment) in zip(components, segments) {
            if component.hasPrefix(":") {
                captures[String(component.dropFirst())] = segment
            } else if component != segment {
                return nil
            }
        }
        return captures
    }
}
