import Foundation
import Hummingbird

/// Reads and writes the session and pre-login cookies: names, attributes and lifetimes in one place.
///
/// Cookies are `HttpOnly`, `SameSite=Lax`, `Path=/`; with an https public URL they are also
/// `Secure` and carry the `__Host-` prefix (so no subdomain can set them).
public struct SessionCookies: Sendable {
    let codec: SessionCookieCodec
    let revocations: SessionRevocations
    let lifetime: SessionLifetime
    let secure: Bool

    public init(codec: SessionCookieCodec, revocations: SessionRevocations, lifetime: SessionLifetime = .init(), secure: Bool) {
        self.codec = codec
        self.revocations = revocations
        self.lifetime = lifetime
        self.secure = secure
    }

    var sessionCookieName: String { secure ? "__Host-tb_session" : "tb_session" }
    var loginCookieName: String { secure ? "__Host-tb_login" : "tb_login" }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }

    // MARK: Sessions

    /// The signed-in session of a request, or nil when there is none or it is not valid any
    /// more (tampered, unknown key, idle or absolute expiry passed, logged out).
    public func session(from request: Request) async throws -> Session? {
        session(fromCookieHeaders: request.headers[values: .cookie])
    }

    /// ``session(from:)`` for the proxy's fast path, which has the `Cookie` headers but no
    /// ``Request``: decrypting and a look into memory, nothing that waits.
    func session(fromCookieHeaders headers: [String]) -> Session? {
        guard !headers.isEmpty, let value = Cookies(from: headers)[sessionCookieName]?.value,
            let session = codec.open(value, as: Session.self, purpose: .session)
        else { return nil }
        let now = Self.now()
        guard now < session.expiresAt, now - session.lastSeenAt < lifetime.idle else { return nil }
        // In memory: a valid cookie costs no database access.
        guard !revocations.isRevoked(session.id) else { return nil }
        return session
    }

    /// The session after a person signed in with `account`: `existing` with the account linked
    /// (a second provider, or the same one again), or a new session.
    public func session(signingIn account: LinkedAccount, existing: Session?) -> Session {
        let now = Self.now()
        if var linked = existing?.linking(account) {
            linked.lastSeenAt = now
            return linked
        }
        return Session(id: randomToken(bytes: 16), accounts: [account], issuedAt: now, lastSeenAt: now, expiresAt: now + lifetime.absolute)
    }

    /// The session without `provider`'s account, under a new id: the old cookie, which still
    /// holds the token, is refused from now on. Nil when no account is left (the session ended).
    public func unlinking(_ provider: ProviderID, from session: Session) async throws -> Session? {
        try await end(session)
        var remaining = session
        remaining.accounts.removeAll { $0.provider == provider }
        guard !remaining.accounts.isEmpty else { return nil }
        remaining.id = randomToken(bytes: 16)
        remaining.lastSeenAt = Self.now()
        return remaining
    }

    public func sessionCookie(for session: Session) throws -> Cookie {
        let value = try codec.seal(session, purpose: .session)
        return cookie(name: sessionCookieName, value: value, maxAge: Int(session.expiresAt - Self.now()))
    }

    /// A re-issued cookie when the session's idle window should slide forward, else nil.
    public func refreshedCookie(for session: Session) throws -> Cookie? {
        let now = Self.now()
        guard now - session.lastSeenAt >= lifetime.refreshAfter else { return nil }
        var refreshed = session
        refreshed.lastSeenAt = now
        return try sessionCookie(for: refreshed)
    }

    /// Ends a session everywhere: later requests with the same cookie are anonymous.
    public func end(_ session: Session) async throws {
        try await revocations.revokeSession(session.id, until: session.expiresAt)
    }

    public var clearedSessionCookie: Cookie { cookie(name: sessionCookieName, value: "", maxAge: 0) }

    // MARK: Sign-in attempts

    public func loginCookie(for attempt: LoginAttempt) throws -> Cookie {
        cookie(name: loginCookieName, value: try codec.seal(attempt, purpose: .login), maxAge: Int(lifetime.login))
    }

    /// The sign-in attempt of this browser, or nil when there is none or it has expired.
    public func loginAttempt(from request: Request) -> LoginAttempt? {
        guard let value = request.cookies[loginCookieName]?.value,
            let attempt = codec.open(value, as: LoginAttempt.self, purpose: .login),
            Self.now() < attempt.expiresAt
        else { return nil }
        return attempt
    }

    public func newLoginAttempt(provider: ProviderID, flow: LoginAttempt.Flow, returnTo: ReturnPath) -> LoginAttempt {
        LoginAttempt(
            state: randomToken(bytes: 24), provider: provider, flow: flow, returnTo: returnTo.path, expiresAt: Self.now() + lifetime.login)
    }

    /// Marks an attempt's state as used; false when it already was (a replayed callback).
    public func consume(_ attempt: LoginAttempt) async throws -> Bool {
        try await revocations.consumeLoginState(attempt.state, until: attempt.expiresAt)
    }

    public var clearedLoginCookie: Cookie { cookie(name: loginCookieName, value: "", maxAge: 0) }

    private func cookie(name: String, value: String, maxAge: Int) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}

/// A sign-in in progress: the provider, the `state` sent to it and where to go afterwards,
/// sealed in the short-lived pre-login cookie.
public struct LoginAttempt: Codable, Sendable, Equatable {
    public enum Flow: String, Codable, Sendable {
        /// `response_type=code`: the server exchanges a code for the token.
        case code
        /// `response_type=token`: the browser receives the token in the URL fragment and posts it.
        case token
    }

    public var state: String
    /// Which provider's callback may finish it.
    public var provider: ProviderID
    public var flow: Flow
    public var returnTo: String
    public var expiresAt: Int64
}
