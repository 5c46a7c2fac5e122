/// Lowercase hexadecimal text of bytes (digests in dedupe keys, ids).
enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// The lowercase digit of a value 0-15.
    static func digit(_ value: UInt8) -> UInt8 { digits[Int(value & 0x0F)] }

    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
