import HTTPTypes

/// The outcome of counting one request against its token's budget.
struct RateDecision: Sendable {
    var limit: Int
    var remaining: Int
    /// Epoch seconds when the window ends.
    var resetEpoch: Int
    /// Seconds to wait, when the request is refused.
    var retryAfter: Int?

    /// `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset`.
    var headers: HTTPFields {
        var fields = HTTPFields()
        fields[HTTPField.Name("X-RateLimit-Limit")!] = String(limit)
        fields[HTTPField.Name("X-RateLimit-Remaining")!] = String(remaining)
        fields[HTTPField.Name("X-RateLimit-Reset")!] = String(resetEpoch)
        return fields
    }
}

extension SimulatorState {
    /// Counts a request in the token's fixed window (`limit` per `window`), starting a new
    /// window when the old one has passed.
    mutating func consumeRequest(
        token: String, limit: Int, window: Duration, now: ContinuousClock.Instant, epoch: Int
    ) -> RateDecision {
        var bucket = rateBuckets[token] ?? RateBucket(windowStart: now, resetEpoch: 0, used: 0)
        if bucket.resetEpoch == 0 || now >= bucket.windowStart.advanced(by: window) {
            bucket = RateBucket(
                windowStart: now, resetEpoch: epoch + Int(window.seconds.rounded(.up)), used: 0)
        }
        defer { rateBuckets[token] = bucket }
        guard bucket.used < limit else {
            let wait = bucket.windowStart.advanced(by: window) - now
            return RateDecision(
                limit: limit, remaining: 0, resetEpoch: bucket.resetEpoch,
                retryAfter: max(1, Int(wait.seconds.rounded(.up))))
        }
        bucket.used += 1
        return RateDecision(limit: limit, remaining: limit - bucket.used, resetEpoch: bucket.resetEpoch)
    }
}
