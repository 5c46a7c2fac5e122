import Foundation
import Hummingbird
import Synchronization

/// Reads and writes the session and pre-login cookies: names, attributes and lifetimes in one place.
///
/// Cookies are `HttpOnly`, `SameSite=Lax`, `Path=/`; with an https public URL they are also
/// `Secure` and carry the `__Host-` prefix (so no subdomain can set them).
public struct SessionCookies: Sendable {
    let codec: SessionCookieCodec
    let revocations: SessionRevocations
    let lifetime: SessionLifetime
    let secure: Bool
    private let opened = OpenedSessions()

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

    /// The value of the first cookie called `name`, read as Hummingbird's `Cookies` reads it (pairs
    /// split at `;`, leading whitespace dropped, the name up to the first `=`, the rest the value)
    /// but over bytes: on every proxied request, where parsing by `Character` cost more than the
    /// rest of the request.
    static func cookie(named name: String, in headers: [String]) -> String? {
        let wanted = Array(name.utf8)
        for var header in headers {
            header.makeContiguousUTF8()
            let found = header.utf8.withContiguousStorageIfAvailable { bytes -> String? in
                var start = 0
                while start < bytes.count {
                    var end = start
                    while end < bytes.count && bytes[end] != UInt8(ascii: ";") { end += 1 }
                    var pair = start
                    while pair < end && (bytes[pair] == UInt8(ascii: " ") || bytes[pair] == UInt8(ascii: "\t")) { pair += 1 }
                    var equals = pair
                    while equals < end && bytes[equals] != UInt8(ascii: "=") { equals += 1 }
                    if equals < end && equals - pair == wanted.count && wanted.withUnsafeBufferPointer({ $0.elementsEqual(bytes[pair..<equals]) }) {
                        return String(decoding: UnsafeBufferPointer(rebasing: bytes[(equals + 1)..<end]), as: UTF8.self)
                    }
                    start = end + 1
                }
                return nil
            }
            if let found, let value = found { return value }
        }
        return nil
    }

    /// The signed-in session of a request, or nil when there is none or it is not valid any
    /// more (tampered, unknown key, idle or absolute expiry passed, logged out).
    public func session(from request: Request) async throws -> Session? {
        session(fromCookieHeaders: request.headers[values: .cookie])
    }

    /// ``session(from:)`` for the proxy's fast path, which has the `Cookie` headers but no
    /// ``Request``: decrypting and a look into memory, nothing that waits.
    func session(fromCookieHeaders headers: [String]) -> Session? {
        guard !headers.isEmpty, let value = Self.cookie(named: sessionCookieName, in: headers),
            let session = opened.session(for: value, opening: { codec.open($0, as: Session.self, purpose: .session) })
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

    /// The most a session cookie's value may take: browsers keep 4,096 bytes for the name, the
    /// value and the attributes, and silently drop a larger cookie (the person would seem signed out).
    static let maximumSessionValue = 4_000

    /// - Throws: ``AppError`` `session_too_large` when the linked accounts' tokens do not fit.
    public func sessionCookie(for session: Session) throws -> Cookie {
        let value = try codec.seal(session, purpose: .session)
        guard value.utf8.count <= Self.maximumSessionValue else {
            throw AppError(
                .badRequest, "session_too_large",
                "This session's linked accounts and their tokens no longer fit in a browser cookie. Unlink an account you do not need, then sign in with it again later."
            )
        }
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
    /// The PKCE `code_verifier` whose S256 challenge went to the provider (sealed here, never sent elsewhere).
    public var codeVerifier: String?
}

/// Session cookies already opened, by their text: a browser sends the same cookie with every
/// request, and opening it (base64, AES-GCM, JSON) costs more than the rest of a proxied request.
/// It keeps only what the codec gave for that exact text, so it answers as the codec would; the
/// expiry, idle and logout checks still run on every request. Bounded: when full, it starts over.
final class OpenedSessions: Sendable {
    private let sessions = Mutex<[String: Session]>([:])
    let capacity: Int

    init(capacity: Int = 4096) {
        self.capacity = capacity
    }

    func session(for text: String, opening: (String) -> Session?) -> Session? {
        if let known = sessions.withLock({ $0[text] }) { return known }
        guard let session = opening(text) else { return nil }
        sessions.withLock { sessions in
            if sessions.count >= capacity { sessions.removeAll(keepingCapacity: true) }
            sessions[text] = session
        }
        return session
    }
}
