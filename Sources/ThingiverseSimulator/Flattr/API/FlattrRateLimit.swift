import HTTPTypes

/// Requests counted against one token (or the anonymous callers) in the current fixed window.
struct FlattrRateWindow: Sendable {
    var start: ContinuousClock.Instant
    var used: Int
}

/// The outcome of counting one request against its budget.
struct FlattrRateDecision: Sendable {
    var limit: Int
    var remaining: Int
    /// Seconds to wait, when the request is refused.
    var retryAfter: Int?

    /// `X-RateLimit-Limit` and `X-RateLimit-Remaining`, the two headers Flattr documents.
    var headers: HTTPFields {
        var fields = HTTPFields()
        fields[HTTPField.Name("X-RateLimit-Limit")!] = String(limit)
        fields[HTTPField.Name("X-RateLimit-Remaining")!] = String(remaining)
        return fields
    }
}

extension FlattrState {
    /// The budget key of requests without a (known) token: the simulator cannot tell callers
    /// apart, so they share one budget, as callers behind one address did at Flattr.
    static let anonymousBudget = "anonymous"

    /// Counts a request in `key`'s fixed window (`limit` per `window`), starting a new window
    /// when the old one has passed.
    mutating func consumeRequest(
        key: String, limit: Int, window: Duration, now: ContinuousClock.Instant
    ) -> FlattrRateDecision {
        var current = rateWindows[key] ?? FlattrRateWindow(start: now, used: 0)
        if now >= current.start.advanced(by: window) {
            current = FlattrRateWindow(start: now, used: 0)
        }
        defer { rateWindows[key] = current }
        guard current.used < limit else {
            let wait = current.start.advanced(by: window) - now
            return FlattrRateDecision(limit: limit, remaining: 0, retryAfter: max(1, Int(wait.seconds.rounded(.up))))
        }
        current.used += 1
        return FlattrRateDecision(limit: limit, remaining: limit - current.used)
    }
}
