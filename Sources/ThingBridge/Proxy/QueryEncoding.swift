/// A browser's query string made into one that URL parsers keep as it is.
///
/// Browsers send `|`, `[`, `]`, `{`, `}`, `^`, `` ` `` and `\` in queries unencoded, and a `%`
/// need not start an escape. Foundation's `URL(string:)`, which async-http-client parses the
/// upstream URL with, answers such a URL by encoding every `%` of it again, so
/// `url=https%3A%2F%2Fx&ids=[1]` reached the provider as `url=https%253A%252F%252Fx&ids=%5B1%5D`
/// (found by Benchmarks/fuzz). Here only those characters are encoded, and valid escapes stay.
enum QueryEncoding {
    static func forwardable(_ query: String) -> String {
        let bytes = Array(query.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let isEscape = byte == UInt8(ascii: "%") && index + 2 < bytes.count && isHexDigit(bytes[index + 1]) && isHexDigit(bytes[index + 2])
            if isEscape || (byte != UInt8(ascii: "%") && allowed.contains(byte)) {
                output.append(byte)
            } else {
                output += [UInt8(ascii: "%"), upperHex[Int(byte >> 4)], upperHex[Int(byte & 0x0F)]]
            }
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// RFC 3986 query characters: unreserved, sub-delims, `:`, `@`, `/`, `?` (and `%` before two hex digits).
    private static let allowed = Set(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/?".utf8))

    private static let upperHex = Array("0123456789ABCDEF".utf8)

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }
}
