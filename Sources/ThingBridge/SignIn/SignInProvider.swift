/// What the OAuth2 code flow needs to know about one provider: where to send the browser,
/// how to turn a code into a token, and whose account the token opens.
///
/// ``SignInController`` runs the flow once for all of them; Thingiverse and Flattr describe
/// themselves with this (`Providers/Thingiverse/ThingiverseSignIn.swift`, `Providers/Flattr/FlattrSignIn.swift`).
public protocol SignInProvider: Sendable {
    var provider: ProviderID { get }
    /// The app's client id, sent as `client_id`.
    var clientID: String { get }
    /// The provider's authorization page.
    var authorizeURL: String { get }
    /// Parameters the authorization page needs beyond the standard ones (Flattr: `scope`).
    var extraAuthorizeParameters: [(String, String)] { get }
    /// Whether `response_type=token` is offered (Thingiverse's token flow, checked with tokeninfo).
    var supportsTokenFlow: Bool { get }
    /// Whether the code flow sends an S256 `code_challenge` and later its `code_verifier` (PKCE).
    var usesPKCE: Bool { get }
    /// Exchanges an authorization code for a token (and, where the provider issues them, its
    /// lifetime and refresh token).
    /// - Parameter codeVerifier: the PKCE verifier, when ``usesPKCE``.
    /// - Throws: ``SignInRefusal/codeRefused``, ``UpstreamError``.
    func exchange(code: String, redirectURI: String, codeVerifier: String?) async throws -> TokenGrant
    /// The account `token` belongs to, checked as the provider allows (Thingiverse: tokeninfo's
    /// audience is this app and `/users/me` its user; Flattr: `GET /user`).
    /// - Throws: ``SignInRefusal``, ``SignInError``, ``UpstreamError``.
    func account(for token: Secret) async throws -> LinkedAccount
}

extension SignInProvider {
    public var usesPKCE: Bool { false }
}

/// Why a provider refused part of a sign-in.
public enum SignInRefusal: Error, Sendable, Equatable {
    /// The code was refused (expired, used, not for this app).
    case codeRefused
    /// The token is unknown or revoked.
    case tokenRefused
}
