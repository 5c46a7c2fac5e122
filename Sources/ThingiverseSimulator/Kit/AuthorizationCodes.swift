/// The codes an authorization page has handed out and that are not yet exchanged: each for one
/// app and redirect URI, usable once, until it expires.
struct AuthorizationCodes<Grant: Sendable>: Sendable {
    /// What a code stands for.
    struct Code: Sendable {
        var clientID: String
        /// The redirect URI the code was issued for.
        var redirectURI: String
        /// The provider's own facts: who signed in, with which scopes.
        var grant: Grant
        var expiresAt: ContinuousClock.Instant
    }

    /// Why a code cannot be exchanged, in words for the error's message.
    enum Failure: String, Error {
        case unknown = "The code is unknown or has already been used."
        case expired = "The code has expired."
        case otherApp = "The code was issued to another app."

        var message: String { rawValue }
    }

    private var codes: [String: Code] = [:]

    /// A new code (32 hex characters); expired ones are dropped first.
    mutating func issue(clientID: String, redirectURI: String, grant: Grant, lifetime: Duration) -> String {
        let now = ContinuousClock.now
        codes = codes.filter { $0.value.expiresAt > now }
        let code = RandomToken.hex(byteCount: 16)
        codes[code] = Code(clientID: clientID, redirectURI: redirectURI, grant: grant, expiresAt: now.advanced(by: lifetime))
        return code
    }

    /// The code, if it is known, unexpired and `clientID`'s. An expired code is dropped; any
    /// other stays usable until ``redeem(_:)``, so a refused exchange can be repeated.
    mutating func check(_ code: String, clientID: String) -> Result<Code, Failure> {
        guard let stored = codes[code] else { return .failure(.unknown) }
        guard stored.expiresAt > ContinuousClock.now else {
            codes[code] = nil
            return .failure(.expired)
        }
        guard stored.clientID == clientID else { return .failure(.otherApp) }
        return .success(stored)
    }

    /// Uses the code up.
    mutating func redeem(_ code: String) {
        codes[code] = nil
    }
}
