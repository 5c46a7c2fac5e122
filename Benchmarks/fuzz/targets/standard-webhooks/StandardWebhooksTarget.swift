import Crypto
import Foundation

/// The relay's Standard Webhooks signer, against a verifier written here from the
/// specification: the key is the base64 after `whsec_` (read by a strict decoder of our own),
/// the signed content `{id}.{timestamp}.{body}`, and HMAC-SHA256 built from SHA-256 by hand.
///
/// Properties:
/// - a secret is accepted exactly when it is `whsec_` + canonical base64 of 24 to 64 bytes
///   (what Foundation accepts beyond that, such as non-zero padding bits, must decode alike);
/// - the header holds one `v1,<base64 of 32 bytes>` per secret, in order, and each verifies
///   with the independent verifier under its own secret, and no other;
/// - a different id, timestamp or body gives a different signature.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStandardWebhooks(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let mode = input.byte() % 3
    let secretText = input.text(limit: 120)
    let id = input.text(limit: 64)
    let timestamp = Int64(truncatingIfNeeded: UInt64(input.byte()) << 32 | UInt64(input.byte()) << 8 | UInt64(input.byte())) - 1_000_000
    let body = input.rest()

    // A secret from the input: accepted exactly when the specification says so.
    let strict = secretText.hasPrefix("whsec_") ? strictBase64(String(secretText.dropFirst(6))) : nil
    let accepted = try? StandardWebhookSigner.key(Secret(secretText))
    if let strict, (24...64).contains(strict.count) {
        property(accepted != nil, "the valid secret \(secretText) is refused")
    }
    if let accepted {
        let keyBytes = accepted.withUnsafeBytes { Array($0) }
        let lenient = secretText.hasPrefix("whsec_") ? Data(base64Encoded: String(secretText.dropFirst(6))).map(Array.init) : nil
        property(keyBytes == lenient && (24...64).contains(keyBytes.count), "the secret \(secretText) gives another key")
        if let strict { property(strict == keyBytes, "the secret \(secretText) decodes differently from the specification") }
    }

    // Signing with one or two good secrets (the second while rotating).
    let secrets = mode == 0 ? [goodSecret] : [goodSecret, otherSecret]
    let signer = try! StandardWebhookSigner(secrets: secrets.map(Secret.init))
    let header = signer.signature(id: id, timestamp: timestamp, body: body)
    let parts = header.split(separator: " ", omittingEmptySubsequences: false)
    property(parts.count == secrets.count, "\(parts.count) signatures for \(secrets.count) secrets: \(header)")
    for (part, secret) in zip(parts, secrets) {
        property(part.hasPrefix("v1,") && strictBase64(String(part.dropFirst(3)))?.count == 32, "signature \(part) is not v1,<base64 of 32 bytes>")
        property(verifies(String(part), secret: secret, id: id, timestamp: timestamp, body: body), "signature \(part) does not verify")
        property(
            !verifies(String(part), secret: strangerSecret, id: id, timestamp: timestamp, body: body), "signature verifies under a stranger's secret")
    }
    if mode == 2 {
        var changed = body
        if changed.isEmpty { changed = [0] } else { changed[changed.count / 2] ^= 0x01 }
        property(signer.signature(id: id, timestamp: timestamp, body: changed) != header, "a changed body keeps its signature")
        property(signer.signature(id: id + "x", timestamp: timestamp, body: body) != header, "a changed id keeps its signature")
        property(signer.signature(id: id, timestamp: timestamp &+ 1, body: body) != header, "a changed timestamp keeps its signature")
    }
    return 0
}

private let goodSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
private let otherSecret = "whsec_" + Data((0..<64).map { UInt8($0 * 3 & 0xFF) }).base64EncodedString()
private let strangerSecret = "whsec_" + Data(repeating: 7, count: 32).base64EncodedString()

/// Standard Webhooks verification, as its specification describes it.
private func verifies(_ signature: String, secret: String, id: String, timestamp: Int64, body: [UInt8]) -> Bool {
    guard let key = strictBase64(String(secret.dropFirst(6))), signature.hasPrefix("v1,"), let given = strictBase64(String(signature.dropFirst(3)))
    else {
        return false
    }
    let expected = hmacSHA256(key: key, message: Array("\(id).\(timestamp).".utf8) + body)
    return given.count == expected.count && zip(given, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
}

/// RFC 2104 over SHA-256, written out.
private func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
    var block = key.count > 64 ? Array(SHA256.hash(data: key)) : key
    block += [UInt8](repeating: 0, count: 64 - block.count)
    let inner = Array(SHA256.hash(data: block.map { $0 ^ 0x36 } + message))
    return Array(SHA256.hash(data: block.map { $0 ^ 0x5C } + inner))
}

/// RFC 4648 base64, padded, with zero padding bits: the one canonical form.
private func strictBase64(_ text: String) -> [UInt8]? {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    let characters = Array(text.utf8)
    guard characters.count % 4 == 0 else { return nil }
    var bytes: [UInt8] = []
    for start in stride(from: 0, to: characters.count, by: 4) {
        let quad = characters[start..<start + 4]
        let padding = quad.reversed().prefix { $0 == UInt8(ascii: "=") }.count
        guard padding <= 2, start + 4 == characters.count || padding == 0 else { return nil }
        var value: UInt32 = 0
        for character in quad.dropLast(padding) {
            guard let index = alphabet.firstIndex(of: character) else { return nil }
            value = value << 6 | UInt32(index)
        }
        value <<= UInt32(6 * padding)
        let decoded = [UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
        guard padding == 0 || decoded[(3 - padding)...].allSatisfy({ $0 == 0 }) else { return nil }
        bytes += decoded.prefix(3 - padding)
    }
    return bytes
}
