import Crypto

/// A configured secret kept as its SHA-256 digest, compared in constant time.
///
/// Comparing digests (always 32 bytes) instead of the strings means neither the content nor
/// the length of a secret leaks through how long a comparison takes.
struct SecretDigest: Sendable {
    private let digest: [UInt8]

    init(_ secret: Secret) {
        self.digest = Array(SHA256.hash(data: Array(secret.value.utf8)))
    }

    /// Whether `candidate` is this secret, in time independent of where they differ.
    func matches(_ candidate: some StringProtocol) -> Bool {
        Self.equal(digest, Array(SHA256.hash(data: Array(candidate.utf8))))
    }

    func matches(digestOf candidate: [UInt8]) -> Bool {
        Self.equal(digest, candidate)
    }

    static func digest(of candidate: some StringProtocol) -> [UInt8] {
        Array(SHA256.hash(data: Array(candidate.utf8)))
    }

    private static func equal(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices {
            difference |= left[index] ^ right[index]
        }
        return difference == 0
    }
}

/// The webhook URL secrets in force. Several are accepted at once so a secret can be rotated:
/// add the new one, move Thingiverse to the new URL, then drop the old one.
struct WebhookSecretSet: Sendable {
    private let digests: [SecretDigest]

    init(_ secrets: [Secret]) {
        self.digests = secrets.map(SecretDigest.init)
    }

    /// Whether `candidate` is one of the secrets; every secret is compared, match or not.
    func contains(_ candidate: some StringProtocol) -> Bool {
        let digest = SecretDigest.digest(of: candidate)
        var found = false
        for secret in digests {
            found = secret.matches(digestOf: digest) || found
        }
        return found
    }
}
