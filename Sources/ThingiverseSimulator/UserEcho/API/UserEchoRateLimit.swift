/// Requests counted against one API key in the current one-minute window.
struct UserEchoRateWindow: Sendable {
    var start: ContinuousClock.Instant
    var used: Int
}

extension UserEchoState {
    /// The length of a rate-limit window: the configured limit is per key per minute.
    static let rateWindow = Duration.seconds(60)

    /// Counts a request against `key`; returns the seconds to wait when the key's `limit` for
    /// this minute is used up (the request is then not counted).
    mutating func consumeRequest(key: String, limit: Int, now: ContinuousClock.Instant) -> Int? {
        var current = rateWindows[key] ?? UserEchoRateWindow(start: now, used: 0)
        if now >= current.start.advanced(by: Self.rateWindow) {
            current = UserEchoRateWindow(start: now, used: 0)
        }
        defer { rateWindows[key] = current }
        guard current.used < limit else {
            let wait = current.start.advanced(by: Self.rateWindow) - now
            return max(1, Int(wait.seconds.rounded(.up)))
        }
        current.used += 1
        return nil
    }
}
