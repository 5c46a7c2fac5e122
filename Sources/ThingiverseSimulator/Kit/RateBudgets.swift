import HTTPTypes

/// Fixed-window rate limits per key (a token, an API key, or the anonymous callers): `limit`
/// requests per `window`, a new window starting at the first request after the old one ended.
struct RateBudgets: Sendable {
    private struct Window: Sendable {
        var start: ContinuousClock.Instant
        /// Epoch seconds when the window ends (for `X-RateLimit-Reset`).
        var resetEpoch: Int
        var used: Int
    }

    private var windows: [String: Window] = [:]

    /// Counts a request against `key`; a refused request is not counted.
    /// - Parameter epoch: now in epoch seconds, for the decision's `resetEpoch`
    mutating func consume(
        key: String, limit: Int, window: Duration, now: ContinuousClock.Instant, epoch: Int = 0
    ) -> RateDecision {
        var current = Window(start: now, resetEpoch: epoch + Int(window.seconds.rounded(.up)), used: 0)
        if let existing = windows[key], now < existing.start.advanced(by: window) {
            current = existing
        }
        defer { windows[key] = current }
        guard current.used < limit else {
            let wait = current.start.advanced(by: window) - now
            return RateDecision(
                limit: limit, remaining: 0, resetEpoch: current.resetEpoch, retryAfter: max(1, Int(wait.seconds.rounded(.up))))
        }
        current.used += 1
        return RateDecision(limit: limit, remaining: limit - current.used, resetEpoch: current.resetEpoch)
    }
}

/// The outcome of counting one request against its budget.
struct RateDecision: Sendable {
    var limit: Int
    var remaining: Int
    /// Epoch seconds when the window ends.
    var resetEpoch: Int
    /// Seconds to wait, when the request is refused.
    var retryAfter: Int?

    /// `X-RateLimit-Limit` and `X-RateLimit-Remaining`, and `X-RateLimit-Reset` where the
    /// provider sends it (Thingiverse does, Flattr does not).
    func headers(withReset: Bool) -> HTTPFields {
        var fields = HTTPFields()
        fields[HTTPField.Name("X-RateLimit-Limit")!] = String(limit)
        fields[HTTPField.Name("X-RateLimit-Remaining")!] = String(remaining)
        if withReset {
            fields[HTTPField.Name("X-RateLimit-Reset")!] = String(resetEpoch)
        }
        return fields
    }
}
