/// Why an authorization request cannot be shown, as one sentence for the page; for providers
/// whose refusals differ only in their words.
struct AuthorizationRefusal: AuthorizationFailure, Equatable {
    let message: String
}
