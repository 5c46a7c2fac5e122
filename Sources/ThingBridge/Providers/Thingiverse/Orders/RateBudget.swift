import Synchronization

/// A token bucket: at most `count` calls per `period`, refilled continuously.
///
/// Thingiverse allows 300 requests per 5 minutes per token; the confirmer takes a share of that
/// so the app's own calls with the same token keep room.
public final class RateBudget: Sendable {
    public let count: Int
    public let period: Duration
    private let state: Mutex<(tokens: Double, updated: ContinuousClock.Instant)>

    public init(count: Int, period: Duration) {
        precondition(count > 0, "a budget needs at least one call")
        self.count = count
        self.period = period
        self.state = Mutex((Double(count), ContinuousClock.now))
    }

    /// Takes up to `wanted` calls from the budget now; returns how many were granted.
    public func take(upTo wanted: Int, now: ContinuousClock.Instant = .now) -> Int {
        state.withLock { state in
            refill(&state, now: now)
            let granted = min(wanted, Int(state.tokens))
            state.tokens -= Double(granted)
            return granted
        }
    }

    /// Returns calls that were taken but not made.
    public func giveBack(_ unused: Int) {
        guard unused > 0 else { return }
        state.withLock { state in state.tokens = min(Double(count), state.tokens + Double(unused)) }
    }

    /// How long until one more call is allowed (zero when one is available now).
    public func waitForNext(now: ContinuousClock.Instant = .now) -> Duration {
        state.withLock { state in
            refill(&state, now: now)
            guard state.tokens < 1 else { return .zero }
            return period * ((1 - state.tokens) / Double(count))
        }
    }

    private func refill(_ state: inout (tokens: Double, updated: ContinuousClock.Instant), now: ContinuousClock.Instant) {
        guard now > state.updated else { return }
        let elapsed = now - state.updated
        let perSecond = Double(count) / Self.seconds(period)
        state.tokens = min(Double(count), state.tokens + Self.seconds(elapsed) * perSecond)
        state.updated = now
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
