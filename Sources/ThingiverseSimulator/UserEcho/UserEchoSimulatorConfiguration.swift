/// Everything a `UserEchoSimulator` needs to know before it starts: where it is reachable and
/// the project's keys.
public struct UserEchoSimulatorConfiguration: Sendable {
    /// Absolute URL of the project's forum, without a trailing slash (the stand-in for
    /// `https://ALIAS.userecho.com`), e.g. `http://127.0.0.1:8080/sim/userecho`. The API is
    /// `baseURL/api/v2/<command>.json`; topic and forum `url`s and avatars point here.
    public var baseURL: String
    /// The project's API key (with "all" rights), sent as `?access_token=` or
    /// `Authorization: Bearer`.
    public var apiKey: String
    /// The 32-character SSO key whose UTF-8 bytes are the AES-256 key of `sso_token`s. A key of
    /// another length makes every `sso_token` invalid.
    public var ssoKey: String
    /// The key hooks are signed with (`X-UE-Signature`); `nil` sends them unsigned.
    public var webhookKey: String?
    /// API requests allowed per key in each minute; past it the answer is 429 with
    /// `Retry-After`. UserEcho documents no number; 1000 keeps tests and demos clear of it.
    public var rateLimit: Int = 1000

    /// Creates a configuration.
    /// - Parameters:
    ///   - baseURL: absolute URL of the forum (a trailing slash is removed)
    ///   - apiKey: the project's API key
    ///   - ssoKey: the 32-character SSO key
    ///   - webhookKey: the key hooks are signed with, or `nil` for unsigned hooks
    public init(baseURL: String, apiKey: String, ssoKey: String, webhookKey: String? = nil) {
        self.baseURL = baseURL.droppingTrailingSlashes
        self.apiKey = apiKey
        self.ssoKey = ssoKey
        self.webhookKey = webhookKey
    }

    /// `baseURL` without trailing slashes, even if it was changed after `init`.
    var base: String { self.baseURL.droppingTrailingSlashes }
}
