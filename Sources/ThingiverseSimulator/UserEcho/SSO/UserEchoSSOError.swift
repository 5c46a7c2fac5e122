/// Why an `sso_token` was refused. The API answers every case the same way
/// (401 `{"status":"error","message":"Invalid sso_token"}`); the cases are for tests and logs.
public enum UserEchoSSOError: Error, Sendable, Equatable {
    /// The token is not base64 (after URL-decoding), or too short to hold an IV and one block.
    case notBase64
    /// The configured SSO key is not 32 bytes, so no AES-256 key can be made from it.
    case unusableKey(byteCount: Int)
    /// AES-256-CBC decryption failed (wrong key, or bad PKCS#7 padding).
    case decryptionFailed
    /// The plaintext is not a JSON object.
    case notJSON
    /// A required member (`guid`, `expires`, `display_name`) is missing, empty or of the wrong type.
    case missingField(String)
    /// `expires` (Unix seconds) lies before `now`.
    case expired(expires: Int, now: Int)
}
