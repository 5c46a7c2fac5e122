import Crypto

/// How UserEcho's hooks are written: the body and its signature.
enum UserEchoHookDelivery {
    /// UserEcho's hook body: `{"hook": EVENT, "created": ISO8601, "data": OBJECT}` in compact JSON.
    static func body(event: String, created: String, data: JSONValue) -> [UInt8] {
        JSONValue.object([("hook", .string(event)), ("created", .string(created)), ("data", data)]).bytes
    }

    /// `X-UE-Signature`: lowercase hex of HMAC-SHA1 over the raw body, keyed with the UTF-8
    /// bytes of the webhook key.
    static func signature(body: [UInt8], key: String) -> String {
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: body, using: SymmetricKey(data: Array(key.utf8)))
        let digits = Array("0123456789abcdef")
        var hex = ""
        for byte in mac {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return hex
    }
}
