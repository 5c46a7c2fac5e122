import Synchronization

/// Each signed-in user's proxy budget: `limit` requests per `window`, counted per instance
/// (Thingiverse enforces its own limit across all of them). A 429 from Thingiverse pauses that
/// user until its `Retry-After` has passed.
public final class ProxyBudget: Sendable {
    public enum Decision: Equatable, Sendable {
        case allowed(remaining: Int)
        /// Wait this many seconds.
        case refused(retryAfter: Int)
    }

    private struct Account {
        var windowStart: ContinuousClock.Instant
        var used: Int
        var pausedUntil: ContinuousClock.Instant?
    }

    private struct State {
        var accounts: [String: Account] = [:]
        var lastSweep: ContinuousClock.Instant
    }

    let limit: Int
    let window: Duration
    private let clock = ContinuousClock()
    private let state: Mutex<State>

    public init(limit: Int, window: Duration) {
        self.limit = limit
        self.window = window
        self.state = Mutex(State(lastSweep: ContinuousClock.now))
    }

    /// Spends one request of `user`'s budget, or says how long to wait.
    public func spend(user: String) -> Decision {
        let now = clock.now
        return state.withLock { state in
            sweep(&state, now: now)
            var account = state.accounts[user] ?? Account(windowStart: now, used: 0)
            if let pausedUntil = account.pausedUntil, pausedUntil > now {
                return .refused(retryAfter: Self.seconds(pausedUntil - now))
            }
            if now - account.windowStart >= window {
                account = Account(windowStart: now, used: 0)
            }
            guard account.used < limit else {
                return .refused(retryAfter: Self.seconds(account.windowStart + window - now))
            }
            account.used += 1
            state.accounts[user] = account
            return .allowed(remaining: limit - account.used)
        }
    }

    /// Thingiverse said 429: stop sending for this user for `seconds`.
    public func pause(user: String, seconds: Int) {
        let until = clock.now + .seconds(max(1, seconds))
        state.withLock { state in
            var account = state.accounts[user] ?? Account(windowStart: clock.now, used: 0)
            account.pausedUntil = until
            state.accounts[user] = account
        }
    }

    /// Forgets accounts whose window and pause are over, so memory follows active users only.
    private func sweep(_ state: inout State, now: ContinuousClock.Instant) {
        guard now - state.lastSweep >= window else { return }
        state.lastSweep = now
        state.accounts = state.accounts.filter { _, account in
            now - account.windowStart < window || (account.pausedUntil.map { $0 > now } ?? false)
        }
    }

    private static func seconds(_ duration: Duration) -> Int {
        max(1, Int(duration.components.seconds) + (duration.components.attoseconds > 0 ? 1 : 0))
    }
}
