import Crypto
import Foundation

/// Seals values into cookie text with AES-GCM and opens them again.
///
/// The first key encrypts; every key decrypts, so a new key can be put first without signing
/// anyone out. A sealed value is `base64url(version ‖ key id ‖ nonce ‖ ciphertext ‖ tag)`; the
/// cookie's purpose is authenticated too, so a login cookie can never be used as a session.
/// Anything that does not open (tampered, truncated, unknown key, other purpose) is `nil`.
public struct SessionCookieCodec: Sendable {
    /// What a sealed value is for; part of the authenticated data.
    public enum Purpose: String, Sendable {
        case session = "thingbridge.session.v1"
        case login = "thingbridge.login.v1"
        /// An account whose token was refreshed, kept for cookies issued before the refresh.
        case refreshedAccount = "thingbridge.refreshed-account.v1"
    }

    private struct Key: Sendable {
        let id: [UInt8]
        let key: SymmetricKey
    }

    private static let version: UInt8 = 1
    private let keys: [Key]

    /// - Parameter keys: base64 32-byte keys, the encrypting one first (validated by the configuration).
    public init(keys: [Secret]) {
        self.keys = keys.compactMap { secret in
            guard let bytes = Data(base64Encoded: secret.value), bytes.count == 32 else { return nil }
            let key = SymmetricKey(data: bytes)
            return Key(id: Array(SHA256.hash(data: bytes).prefix(4)), key: key)
        }
        precondition(!self.keys.isEmpty, "SessionCookieCodec needs at least one valid 32-byte key")
    }

    public func seal<Value: Encodable>(_ value: Value, purpose: Purpose) throws -> String {
        let encoder = JSONEncoder()
        let plaintext = try encoder.encode(value)
        let key = keys[0]
        let box = try AES.GCM.seal(plaintext, using: key.key, authenticating: Data(purpose.rawValue.utf8))
        guard let combined = box.combined else { throw CocoaError(.coderInvalidValue) }
        var bytes = [Self.version]
        bytes += key.id
        bytes += combined
        return Base64URL.encode(bytes)
    }

    public func open<Value: Decodable>(_ text: String, as type: Value.Type, purpose: Purpose) -> Value? {
        guard text.utf8.count < 8192, let bytes = Base64URL.decode(text), bytes.count > 5 + 12 + 16, bytes[0] == Self.version else {
            return nil
        }
        let keyID = Array(bytes[1..<5])
        guard let key = keys.first(where: { $0.id == keyID }),
            let box = try? AES.GCM.SealedBox(combined: bytes[5...]),
            let plaintext = try? AES.GCM.open(box, using: key.key, authenticating: Data(purpose.rawValue.utf8))
        else { return nil }
        return try? JSONDecoder().decode(Value.self, from: plaintext)
    }
}

/// Base64 with the URL- and cookie-safe alphabet and no padding.
enum Base64URL {
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) -> [UInt8]? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.utf8.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64).map(Array.init)
    }
}
