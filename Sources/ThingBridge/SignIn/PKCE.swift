import Crypto

/// Proof Key for Code Exchange (RFC 7636): the sign-in keeps a random verifier and sends only
/// its SHA-256 (`S256`), so a code caught on its way back is useless without the verifier.
enum PKCE {
    /// `BASE64URL(SHA256(verifier))` without padding.
    static func challenge(for verifier: String) -> String {
        Base64URL.encode(Array(SHA256.hash(data: Array(verifier.utf8))))
    }
}
