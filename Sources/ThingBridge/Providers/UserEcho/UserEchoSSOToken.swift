import Crypto
import Foundation
import _CryptoExtras

/// UserEcho's single sign-on token (its current scheme, `userecho_sso_samples` v3): the person
/// as JSON, encrypted with AES-256-CBC (PKCS#7) under the project's 32-character SSO key, a
/// random 16-byte IV in front, base64 (URL-encoded where it travels in a URL). UserEcho creates
/// the user on first use.
public struct UserEchoSSOToken: Sendable {
    /// The person's profile inside the token.
    struct Profile: Encodable, Equatable {
        let guid: String
        let expires: Int64
        let display_name: String
        let email: String?
        let avatar_url: String?
        let locale: String?
    }

    /// The longest a token is valid (UserEcho's samples use one hour).
    static let lifetime: Int64 = 3600

    private let key: SymmetricKey

    /// - Parameter ssoKey: the 32-character key (validated by the configuration); its UTF-8 bytes are the AES-256 key.
    public init(ssoKey: Secret) {
        self.key = SymmetricKey(data: Data(ssoKey.value.utf8))
    }

    /// The profile UserEcho should know `session`'s person by: `guid` is `PROVIDER:USER_ID` of
    /// the first linked account, so the same person keeps one forum identity.
    static func profile(for session: Session, expires: Int64) -> Profile {
        let first = session.primary
        return Profile(
            guid: guid(for: session), expires: expires, display_name: first.fullName ?? first.name,
            email: nil, avatar_url: session.accounts.lazy.compactMap(\.thumbnail).first, locale: nil)
    }

    /// `PROVIDER:USER_ID` of the first linked account.
    static func guid(for session: Session) -> String {
        session.personKey
    }

    /// A fresh token for `session`'s person and when it stops working (Unix seconds).
    public func token(for session: Session, now: Date = Date()) throws -> (token: String, expires: Int64) {
        let expires = Int64(now.timeIntervalSince1970) + Self.lifetime
        return (try seal(Self.profile(for: session, expires: expires)), expires)
    }

    /// The encrypted token for `profile`, in base64 (URL-encode it for a URL).
    func seal(_ profile: Profile) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let plaintext = try encoder.encode(profile)
        var generator = SystemRandomNumberGenerator()
        let ivBytes = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let ciphertext = try AES._CBC.encrypt(plaintext, using: key, iv: AES._CBC.IV(ivBytes: ivBytes))
        return (Data(ivBytes) + ciphertext).base64EncodedString()
    }
}
