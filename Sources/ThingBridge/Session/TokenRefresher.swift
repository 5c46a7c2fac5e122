import Crypto
import Foundation
import SQLKit
import Synchronization

/// Keeps a configured provider's expiring tokens usable: refreshes one before it expires, once
/// per session and refresh token however many requests arrive together, and lets a cookie issued
/// before a refresh (sent concurrently, from another tab, or to another instance) use the
/// refreshed token instead of a refresh token the provider has rotated away.
///
/// The refreshed account is remembered in memory and recorded in `refreshed_tokens` (sealed with
/// the session key) until the session ends, keyed by the session and the refresh token it replaced.
public final class TokenRefresher: Sendable {
    /// Why a request cannot go upstream with this account's token.
    public enum Failure: Error, Sendable {
        /// The token has expired and could not be refreshed: sign in again.
        case reauthenticate
    }

    let provider: ProviderID
    private let refresh: @Sendable (Secret) async throws -> TokenGrant
    private let database: Database
    private let codec: SessionCookieCodec
    /// Refreshes under way, by key; concurrent requests await the same one.
    private let inFlight = Mutex<[String: Task<LinkedAccount, any Error>]>([:])
    /// Accounts after a refresh, by the key of the account they replaced. Bounded: when full it
    /// starts over (the database still has them).
    private let refreshed = Mutex<[String: LinkedAccount]>([:])
    private let capacity = 10_000
    /// How many refreshes went to the provider (tests count them).
    private let refreshCount = Atomic<Int>(0)

    /// - Parameter refresh: asks the provider for a new token with a refresh token.
    init(provider: ProviderID, database: Database, codec: SessionCookieCodec, refresh: @escaping @Sendable (Secret) async throws -> TokenGrant) {
        self.provider = provider
        self.database = database
        self.codec = codec
        self.refresh = refresh
    }

    /// How many refresh requests this instance sent to the provider.
    public var refreshes: Int { refreshCount.load(ordering: .relaxed) }

    /// The account to send `session`'s request with: its own when the token is fresh, else the
    /// refreshed one (nil when unchanged).
    /// - Throws: ``Failure/reauthenticate`` when the token has expired and cannot be refreshed;
    ///   ``UpstreamError`` when the provider could not be asked and the token has expired.
    func current(_ account: LinkedAccount, in session: Session) async throws -> LinkedAccount? {
        var account = account
        var changed = false
        // A few steps at most: an old cookie may be several refreshes behind.
        for _ in 0..<4 {
            let now = SessionCookies.now()
            guard account.needsRefresh(at: now) else { break }
            let key = Self.key(session: session.id, account: account)
            if let newer = try await known(key) {
                account = newer
                changed = true
                continue
            }
            guard let refreshToken = account.refreshToken else {
                if account.tokenExpired(at: now) { throw Failure.reauthenticate }
                break
            }
            do {
                account = try await refreshed(account, refreshToken: refreshToken, key: key, until: session.expiresAt).value
                changed = true
            } catch SignInRefusal.tokenRefused {
                if account.tokenExpired(at: SessionCookies.now()) { throw Failure.reauthenticate }
                break
            } catch {
                // The provider could not be asked; a token that still works is used meanwhile.
                if account.tokenExpired(at: SessionCookies.now()) { throw error }
                break
            }
        }
        return changed ? account : nil
    }

    /// The one refresh for `key`: started here, or already under way for another request.
    private func refreshed(_ account: LinkedAccount, refreshToken: Secret, key: String, until expiresAt: Int64) -> Task<LinkedAccount, any Error> {
        inFlight.withLock { inFlight in
            if let running = inFlight[key] { return running }
            let task = Task<LinkedAccount, any Error> {
                defer { _ = self.inFlight.withLock { $0.removeValue(forKey: key) } }
                self.refreshCount.add(1, ordering: .relaxed)
                let grant = try await self.refresh(refreshToken)
                let newer = account.holding(grant, now: SessionCookies.now())
                self.remember(newer, for: key)
                // Best effort: this instance already knows; another would only refresh again.
                try? await self.record(newer, for: key, until: expiresAt)
                return newer
            }
            inFlight[key] = task
            return task
        }
    }

    /// The account that replaced the one keyed `key`, from memory or from another instance's record.
    private func known(_ key: String) async throws -> LinkedAccount? {
        if let newer = refreshed.withLock({ $0[key] }) { return newer }
        struct Row: Decodable {
            let account: String
        }
        let now = SessionCookies.now()
        let row = try await database.read { sql in
            try await sql.raw("SELECT account FROM refreshed_tokens WHERE refresh_key = \(bind: key) AND expires_at > \(bind: now)")
                .first(decoding: Row.self)
        }
        guard let row, let newer = codec.open(row.account, as: LinkedAccount.self, purpose: .refreshedAccount) else { return nil }
        remember(newer, for: key)
        return newer
    }

    private func remember(_ account: LinkedAccount, for key: String) {
        refreshed.withLock { refreshed in
            if refreshed.count >= capacity { refreshed.removeAll(keepingCapacity: true) }
            refreshed[key] = account
        }
    }

    private func record(_ account: LinkedAccount, for key: String, until expiresAt: Int64) async throws {
        let sealed = try codec.seal(account, purpose: .refreshedAccount)
        let now = SessionCookies.now()
        try await database.write { sql in
            // Records of ended sessions can never be asked for again.
            try await sql.raw("DELETE FROM refreshed_tokens WHERE expires_at < \(bind: now)").run()
            try await sql.raw(
                """
                INSERT INTO refreshed_tokens (refresh_key, account, expires_at) VALUES (\(bind: key), \(bind: sealed), \(bind: expiresAt))
                ON CONFLICT (refresh_key) DO NOTHING
                """
            ).run()
        }
    }

    /// The session, the provider and a digest of the token that would be refreshed (the refresh
    /// token, else the access token): never the token itself.
    static func key(session: String, account: LinkedAccount) -> String {
        let material = session + "\u{0}" + account.provider.rawValue + "\u{0}" + (account.refreshToken ?? account.token).value
        return SHA256.hash(data: Array(material.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
