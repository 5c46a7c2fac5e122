/// The person an `sso_token` describes: its decrypted JSON
/// `{"guid", "expires", "display_name", "email"?, "avatar_url"?, "locale"?, "verified_email"?, "groups"?}`.
public struct UserEchoSSOProfile: Sendable, Equatable {
    /// Who the person is for the app; UserEcho keys its users on it.
    public var guid: String
    /// Unix seconds after which the token is refused.
    public var expires: Int
    public var displayName: String
    public var email: String?
    public var avatarURL: String?
    public var locale: String?
    public var verifiedEmail: Bool?
    /// Group names the person should be in (empty when the token named none).
    public var groups: [String]

    /// A profile with these facts.
    public init(
        guid: String, expires: Int, displayName: String, email: String? = nil, avatarURL: String? = nil,
        locale: String? = nil, verifiedEmail: Bool? = nil, groups: [String] = []
    ) {
        self.guid = guid
        self.expires = expires
        self.displayName = displayName
        self.email = email
        self.avatarURL = avatarURL
        self.locale = locale
        self.verifiedEmail = verifiedEmail
        self.groups = groups
    }
}
