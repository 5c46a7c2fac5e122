import Crypto
import Foundation

/// Signs relayed events per Standard Webhooks v1: `webhook-signature: v1,BASE64(HMAC-SHA256(
/// key, "{id}.{timestamp}.{body}"))`, the key being the bytes of a `whsec_` secret's base64
/// part. Several secrets (while one rotates) give several space-separated signatures.
public struct StandardWebhookSigner: Sendable {
    /// Why a secret cannot sign.
    public enum SecretError: Error, Equatable, CustomStringConvertible {
        case notWhsec
        case badLength(Int)

        public var description: String {
            switch self {
            case .notWhsec: "a relay secret is whsec_ followed by base64 of 24 to 64 random bytes"
            case .badLength(let count): "a relay secret's key must be 24 to 64 bytes, not \(count)"
            }
        }
    }

    private let keys: [SymmetricKey]

    /// - Parameter secrets: `whsec_...` secrets, the newest first.
    public init(secrets: [Secret]) throws(SecretError) {
        var keys: [SymmetricKey] = []
        for secret in secrets {
            keys.append(try Self.key(secret))
        }
        self.keys = keys
    }

    /// The key bytes of a `whsec_` secret.
    static func key(_ secret: Secret) throws(SecretError) -> SymmetricKey {
        guard secret.value.hasPrefix("whsec_"), let bytes = Data(base64Encoded: String(secret.value.dropFirst("whsec_".count))) else {
            throw .notWhsec
        }
        guard (24...64).contains(bytes.count) else { throw .badLength(bytes.count) }
        return SymmetricKey(data: bytes)
    }

    /// A new random secret to show once: `whsec_` + base64 of 32 random bytes.
    public static func newSecret() -> Secret {
        Secret("whsec_" + SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() })
    }

    /// The `webhook-signature` header value for one attempt.
    public func signature(id: String, timestamp: Int64, body: [UInt8]) -> String {
        var signed = Array("\(id).\(timestamp).".utf8)
        signed.append(contentsOf: body)
        return keys.map { key in
            "v1," + Data(HMAC<SHA256>.authenticationCode(for: signed, using: key)).base64EncodedString()
        }.joined(separator: " ")
    }
}
