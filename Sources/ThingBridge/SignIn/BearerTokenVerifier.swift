import Crypto
import Foundation
import Synchronization

/// Decides whether a Thingiverse token a browser presents (from the token flow) belongs to this
/// app, with tokeninfo, and remembers the answer for a short while so a page load does not cost
/// one tokeninfo call per request. Both answers are cached (a refused token stays refused), the
/// cache is bounded, and tokens are kept only as SHA-256 digests.
public final class BearerTokenVerifier: Sendable {
    public enum Verdict: Sendable, Equatable {
        /// The token is this app's; the user it belongs to.
        case accepted(userID: String)
        case refused
    }

    private struct Entry {
        let verdict: Verdict
        let expires: ContinuousClock.Instant
    }

    let account: any ThingiverseAccount
    let clientID: String
    let acceptedFor: Duration
    let refusedFor: Duration
    let capacity: Int
    private let cache = Mutex<[SHA256.Digest: Entry]>([:])
    private let clock = ContinuousClock()

    public init(
        account: any ThingiverseAccount, clientID: String,
        acceptedFor: Duration = .seconds(300), refusedFor: Duration = .seconds(60), capacity: Int = 10_000
    ) {
        self.account = account
        self.clientID = clientID
        self.acceptedFor = acceptedFor
        self.refusedFor = refusedFor
        self.capacity = capacity
    }

    /// The verdict for `token` if one is remembered and fresh: nothing that waits (the proxy's
    /// fast path asks this; the first request of a token goes the async way and asks Thingiverse).
    func cachedVerdict(_ token: Secret) -> Verdict? {
        let key = SHA256.hash(data: Data(token.value.utf8))
        let now = clock.now
        guard let cached = cache.withLock({ $0[key] }), cached.expires > now else { return nil }
        return cached.verdict
    }

    /// The verdict for `token`; errors only when Thingiverse could not be asked (nothing is cached then).
    public func verify(_ token: Secret) async throws -> Verdict {
        if let cached = cachedVerdict(token) {
            return cached
        }
        let key = SHA256.hash(data: Data(token.value.utf8))
        let now = clock.now
        let verdict: Verdict
        do {
            let info = try await account.tokenInfo(token)
            verdict = info.audience == clientID ? .accepted(userID: info.userID) : .refused
        } catch is SignInRefusal {
            verdict = .refused
        }
        let lifetime = verdict == .refused ? refusedFor : acceptedFor
        cache.withLock { cache in
            if cache.count >= capacity {
                cache = cache.filter { $0.value.expires > now }
                // Still full of live entries: start over rather than grow without bound.
                if cache.count >= capacity { cache.removeAll(keepingCapacity: true) }
            }
            cache[key] = Entry(verdict: verdict, expires: now + lifetime)
        }
        return verdict
    }
}
