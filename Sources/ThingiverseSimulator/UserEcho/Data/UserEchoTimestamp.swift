import Foundation

/// Instants the way UserEcho writes them: ISO 8601 in UTC with milliseconds and a `Z`
/// (`2014-04-25T04:17:38.306Z`). Strings of this one shape also sort in time order.
enum UserEchoTimestamp {
    /// Now, from the wall clock.
    static func now() -> String {
        let milliseconds = Int((Date().timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = milliseconds / 1000
        let fraction = String(milliseconds % 1000)
        // Timestamp writes `...T04:17:38+00:00`; UserEcho puts the milliseconds and `Z` there.
        let whole = Timestamp.iso8601(seconds).dropLast("+00:00".count)
        return "\(whole).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)Z"
    }
}
