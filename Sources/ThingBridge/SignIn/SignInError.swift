import HTTPTypes

/// Every way a sign-in can fail. ``SignInFailure`` gives each a status and a sentence naming the
/// provider; sign-in pages never show the code, the token or the state.
public enum SignInError: Error, Sendable, Equatable {
    /// No pre-login cookie: the sign-in expired, was started in another browser, or never started here.
    case noLoginInProgress
    /// The provider came back without `state`, so the callback cannot be tied to a sign-in started here.
    case stateMissing
    /// The `state` does not belong to this browser's sign-in (a forged or mixed-up callback).
    case stateMismatch
    /// This sign-in's state was already used (a replayed callback).
    case stateReused
    /// The person pressed Deny at the provider.
    case accessDenied
    /// The provider reported another error on the callback.
    case providerError
    /// The callback carried no code.
    case codeMissing
    /// The provider refused the code.
    case codeRefused
    /// The provider does not know the token.
    case tokenRefused
    /// The token was issued to another app (confused deputy).
    case wrongAudience
    /// The profile does not belong to the token's user.
    case userMismatch
    /// `POST /auth/token` from another origin.
    case crossOrigin
    /// `POST /auth/token` without a usable body.
    case malformedTokenRequest
    /// A callback for a sign-in that was started with another provider.
    case otherProvider
}

/// A ``SignInError`` with the provider it happened with, as the person signing in sees it.
public struct SignInFailure: Error, Sendable, Equatable, AppErrorConvertible {
    public var reason: SignInError
    public var provider: ProviderID

    public init(_ reason: SignInError, provider: ProviderID) {
        self.reason = reason
        self.provider = provider
    }

    public var appError: AppError {
        let name = provider.displayName
        let retry = AppError.Action(label: "Sign in again", href: provider.loginPath)
        let headers: HTTPFields = [.referrerPolicy: "no-referrer", .cacheControl: "no-store"]
        func error(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> AppError {
            AppError(status, code, message, headers: headers, action: retry)
        }
        switch reason {
        case .noLoginInProgress:
            return error(.badRequest, "login_expired", "This sign-in has expired or was started in another browser. Please sign in again.")
        case .stateMissing:
            return error(
                .badRequest, "state_missing",
                "\(name) did not send back the sign-in state, so ThingBridge cannot tell that this sign-in was started here. Nothing was signed in. Please try again."
            )
        case .stateMismatch:
            return error(
                .badRequest, "state_mismatch", "This sign-in response does not belong to the sign-in started in this browser. Nothing was signed in.")
        case .stateReused:
            return error(.badRequest, "state_reused", "This sign-in response was already used. Please sign in again.")
        case .accessDenied:
            return error(
                .forbidden, "access_denied",
                "You chose not to let this app use your \(name) account, so it is not signed in. You can change your mind at any time.")
        case .providerError:
            // The browser brought the provider's error back: the sign-in failed there, not here.
            return error(.badRequest, "provider_error", "\(name) could not complete the sign-in. Please try again.")
        case .codeMissing:
            return error(.badRequest, "code_missing", "\(name)'s answer did not include a sign-in code. Please sign in again.")
        case .codeRefused:
            return error(.unauthorized, "code_refused", "\(name) did not accept the sign-in code (it may have expired). Please sign in again.")
        case .tokenRefused:
            return error(.unauthorized, "token_refused", "\(name) did not accept the access token. Please sign in again.")
        case .wrongAudience:
            return error(.unauthorized, "wrong_audience", "That \(name) token was issued to a different app, so it cannot sign you in here.")
        case .userMismatch:
            return error(.unauthorized, "user_mismatch", "\(name) described a different user than the token belongs to. Nothing was signed in.")
        case .crossOrigin:
            return error(.forbidden, "cross_origin", "Sign-in changes are only accepted from this site's own pages.")
        case .malformedTokenRequest:
            return error(.badRequest, "malformed_token_request", "Send {\"access_token\": \"...\", \"state\": \"...\"} as JSON.")
        case .otherProvider:
            return error(.badRequest, "login_other_provider", "This browser started a sign-in with another provider. Please sign in again.")
        }
    }
}
