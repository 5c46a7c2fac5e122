/// A person of the simulated UserEcho project as the simulator keeps them: the seeded people,
/// the API key's own user ("API", id 1) and everyone an `sso_token` or `users/get_or_create`
/// brought in. For tests.
public struct UserEchoUser: Sendable, Equatable {
    public var id: Int
    /// The single sign-on guid (`PROVIDER:ID` from ThingBridge), or `nil` for people who never
    /// came through single sign-on.
    public var guid: String?
    /// The display name.
    public var name: String
    public var email: String?
    /// The picture from the person's `sso_token`; `nil` when the API shows a generated one.
    public var avatarURL: String?
    public var locale: String?
    /// `verified_email` of the last `sso_token`, if it had one.
    public var verifiedEmail: Bool?
    /// Admins may use every command (hooks, groups, forum and category writes, logout, uploads)
    /// and change anyone's topics.
    public var isAdmin = false
    /// Names of the user groups the person is in.
    public var groups: [String] = []
    /// When the account was made, ISO 8601 with milliseconds (`2014-04-25T04:17:38.306Z`).
    public var created: String
}
