import Crypto
import Foundation
import _CryptoExtras

/// UserEcho's SSO token and hook signature.
///
/// Properties:
/// - SSO token: what ThingBridge seals, UserEcho's side opens (base64, a 16-byte IV in front,
///   AES-256-CBC under the key's UTF-8 bytes, decrypted here independently of the sealing
///   code) to JSON whose members are exactly the profile's, keys sorted, slashes unescaped;
///   the URL-encoded token decodes back to the token; two seals of one profile differ (fresh IV);
/// - hook signature: `isValid` (a constant-time compare of HMAC-SHA1) answers exactly what
///   `==` on the lowercase hex of the body's HMAC answers, for the right signature in either
///   case, a changed digit, a cut or lengthened one, and any header at all.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzUserEcho(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let mode = input.byte()
    let keyText = String(decoding: (0..<32).map { _ in 0x21 + input.byte() % 94 }, as: UTF8.self)
    let profile = UserEchoSSOToken.Profile(
        guid: input.text(), expires: Int64(input.byte()) << 32 | Int64(input.byte()), display_name: input.text(),
        email: mode & 1 == 0 ? input.text() : nil, avatar_url: mode & 2 == 0 ? input.text() : nil, locale: mode & 4 == 0 ? input.text(limit: 16) : nil
    )
    checkSSOToken(profile, keyText: keyText)
    checkSignature(&input)
    return 0
}

private func checkSSOToken(_ profile: UserEchoSSOToken.Profile, keyText: String) {
    let sso = UserEchoSSOToken(ssoKey: Secret(keyText))
    guard let token = try? sso.seal(profile), let again = try? sso.seal(profile) else {
        property(false, "the profile could not be sealed")
        return
    }
    property(token != again, "two tokens for one profile are equal (IV not fresh)")
    property(FormEncoding.unescape(FormEncoding.escape(token)) == token, "the URL-encoded token does not decode back")
    guard let raw = Data(base64Encoded: token), raw.count > 16, (raw.count - 16) % 16 == 0 else {
        property(false, "token \(token) is not base64 of an IV and whole AES blocks")
        return
    }
    let iv = try! AES._CBC.IV(ivBytes: Array(raw.prefix(16)))
    let key = SymmetricKey(data: Array(keyText.utf8))
    guard let plaintext = try? AES._CBC.decrypt(raw.dropFirst(16), using: key, iv: iv) else {
        property(false, "UserEcho's side cannot decrypt the token")
        return
    }
    let text = String(decoding: plaintext, as: UTF8.self)
    property(!hasEscapedSlash(plaintext), "slashes are escaped in \(text)")
    guard let object = (try? JSONSerialization.jsonObject(with: plaintext)) as? [String: Any] else {
        property(false, "the decrypted token is not a JSON object: \(text)")
        return
    }
    func same(_ name: String, _ value: String?) -> Bool {
        guard let value else { return object[name] == nil }
        // Foundation's JSON reader drops a U+FEFF that starts a string or follows an escape (see the json target).
        guard let read = object[name] as? String else { return false }
        return read.unicodeScalars.filter { $0 != "\u{FEFF}" } == value.unicodeScalars.filter { $0 != "\u{FEFF}" }
    }
    property(
        same("guid", profile.guid) && same("display_name", profile.display_name) && same("email", profile.email)
            && same("avatar_url", profile.avatar_url) && same("locale", profile.locale)
            && (object["expires"] as? NSNumber)?.int64Value == profile.expires,
        "the token's JSON \(text) is not the profile \(profile)")
    let keys = object.keys.sorted()
    let order = keys.compactMap { text.range(of: "\"\($0)\":")?.lowerBound }
    property(order.count == keys.count && order == order.sorted(), "the token's keys are not sorted: \(text)")
}

private func checkSignature(_ input: inout FuzzInput) {
    let hookKey = input.text(limit: 64)
    let headerField = input.text(limit: 80)
    let position = Int(input.byte())
    let body = input.rest()
    let signature = UserEchoSignature(key: Secret(hookKey))
    let expected = Hex.encode(HMAC<Insecure.SHA1>.authenticationCode(for: body, using: SymmetricKey(data: Array(hookKey.utf8))))
    var digits = Array(expected.utf8)
    digits[position % digits.count] = UInt8(ascii: digits[position % digits.count] == UInt8(ascii: "0") ? "1" : "0")
    let headers: [String?] = [
        expected, expected.uppercased(), String(decoding: digits, as: UTF8.self), String(expected.prefix(position % expected.count)),
        expected + headerField, nil, headerField,
    ]
    for header in headers {
        let lowered = header.map { String(decoding: $0.utf8.map { $0 >= 0x41 && $0 <= 0x46 ? $0 + 0x20 : $0 }, as: UTF8.self) }
        let valid = signature.isValid(header, body: body)
        property(valid == (lowered == expected), "isValid says \(valid) for \(header.debugDescription), == says \(lowered == expected)")
    }
}

/// Whether JSON text has the escape `\/` (an escaped backslash followed by `/` is not one).
private func hasEscapedSlash(_ json: Data) -> Bool {
    var bytes = json.makeIterator()
    while let byte = bytes.next() {
        if byte == UInt8(ascii: "\\"), bytes.next() == UInt8(ascii: "/") { return true }
    }
    return false
}
