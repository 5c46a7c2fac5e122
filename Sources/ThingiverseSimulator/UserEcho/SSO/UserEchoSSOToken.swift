import Crypto
import Foundation
import _CryptoExtras

/// Reads UserEcho's current single sign-on token: URL-encode(base64(IV || AES-256-CBC(JSON)))
/// with PKCS#7 padding, a random 16-byte IV and the 32-character SSO key's UTF-8 bytes as the
/// key (UserEcho's `userecho_sso_samples`, v3).
enum UserEchoSSOToken {
    static let ivSize = 16

    /// Decrypts and parses `token`, refusing one whose `expires` is before `now`.
    /// - Parameters:
    ///   - token: the token as it arrived: still URL-encoded or already decoded; a `+` turned into
    ///     a space by form decoding and URL-safe base64 are both accepted
    ///   - ssoKey: the 32-character SSO key
    ///   - now: Unix seconds
    static func decode(_ token: String, ssoKey: String, now: Int) throws(UserEchoSSOError) -> UserEchoSSOProfile {
        let keyBytes = Array(ssoKey.utf8)
        guard keyBytes.count == 32 else { throw .unusableKey(byteCount: keyBytes.count) }
        guard let sealed = base64Bytes(token), sealed.count >= 2 * ivSize, sealed.count % ivSize == 0 else {
            throw .notBase64
        }
        let plaintext: Data
        do {
            let iv = try AES._CBC.IV(ivBytes: sealed.prefix(ivSize))
            plaintext = try AES._CBC.decrypt(sealed.dropFirst(ivSize), using: SymmetricKey(data: keyBytes), iv: iv)
        } catch {
            throw .decryptionFailed
        }
        guard let json = try? JSONDecoder().decode(JSONValue.self, from: plaintext), case .object = json else {
            throw .notJSON
        }
        return try profile(json, now: now)
    }

    /// The token's bytes: percent-decoded when it still is URL-encoded, spaces read as `+`,
    /// URL-safe letters mapped back and missing padding added.
    static func base64Bytes(_ token: String) -> [UInt8]? {
        // A space is a `+` a form decoder turned over, even at either end, so it is mapped before
        // the trim (a token starting with `+` would otherwise lose a letter).
        var text = token.replacingOccurrences(of: " ", with: "+").trimmingCharacters(in: .whitespacesAndNewlines)
        if text.contains("%") {
            text = FormEncoding.decodePathSegment(text)
        }
        for (urlSafe, standard) in [(" ", "+"), ("-", "+"), ("_", "/")] {
            text = text.replacingOccurrences(of: urlSafe, with: standard)
        }
        while text.count % 4 != 0 { text.append("=") }
        return Data(base64Encoded: text).map { Array($0) }
    }

    private static func profile(_ json: JSONValue, now: Int) throws(UserEchoSSOError) -> UserEchoSSOProfile {
        let guid: String
        switch json["guid"] {
        case .string(let value)? where !value.isEmpty: guid = value
        case .integer(let value)?: guid = String(value)
        default: throw .missingField("guid")
        }
        let expires: Int
        switch json["expires"] {
        case .integer(let value)?: expires = value
        case .number(let value)? where value.isFinite: expires = Int(value)
        case .string(let value)? where Int(value) != nil: expires = Int(value)!
        default: throw .missingField("expires")
        }
        guard case .string(let displayName)? = json["display_name"], !displayName.isEmpty else {
            throw .missingField("display_name")
        }
        guard expires >= now else { throw .expired(expires: expires, now: now) }
        let verified: Bool?
        switch json["verified_email"] {
        case .bool(let value)?: verified = value
        case .integer(let value)?: verified = value != 0
        default: verified = nil
        }
        let groups = (json["groups"]?.arrayValue ?? []).compactMap { group -> String? in
            if case .string(let name) = group { return name }
            return group["name"]?.stringValue
        }
        return UserEchoSSOProfile(
            guid: guid, expires: expires, displayName: displayName, email: nonEmpty(json["email"]),
            avatarURL: nonEmpty(json["avatar_url"]), locale: nonEmpty(json["locale"]), verifiedEmail: verified,
            groups: groups)
    }

    private static func nonEmpty(_ value: JSONValue?) -> String? {
        guard let text = value?.stringValue, !text.isEmpty else { return nil }
        return text
    }
}
