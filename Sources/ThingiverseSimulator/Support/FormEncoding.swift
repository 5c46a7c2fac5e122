import Foundation

/// `application/x-www-form-urlencoded` reading and writing, as used by OAuth requests and replies.
enum FormEncoding {
    /// The name/value pairs of a form body or a query string, decoded, in their original order.
    static func parse(_ text: some StringProtocol) -> [(name: String, value: String)] {
        text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decodeComponent(parts[0])
            let value = parts.count > 1 ? decodeComponent(parts[1]) : ""
            return (name, value)
        }
    }

    /// The last value given for each name (later values win, like most web frameworks).
    static func dictionary(_ text: some StringProtocol) -> [String: String] {
        Dictionary(parse(text), uniquingKeysWith: { _, last in last })
    }

    /// Encodes pairs as `a=1&b=2`, escaping everything outside the unreserved set.
    static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(encodeComponent($0.0))=\(encodeComponent($0.1))" }.joined(separator: "&")
    }

    /// Percent-encodes one name or value (RFC 3986 unreserved characters stay as they are).
    static func encodeComponent(_ text: some StringProtocol) -> String {
        String(text).addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    /// RFC 3986's unreserved characters: ASCII letters and digits, `-`, `.`, `_` and `~`.
    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// Decodes `%XX` escapes and, because this is form encoding, `+` as a space.
    /// Malformed escapes are kept literally rather than rejected.
    static func decodeComponent(_ text: some StringProtocol) -> String {
        percentDecode(text, plusIsSpace: true)
    }

    /// Decodes `%XX` escapes in a URL path segment (`+` stays a plus sign).
    static func decodePathSegment(_ text: some StringProtocol) -> String {
        percentDecode(text, plusIsSpace: false)
    }

    private static func percentDecode(_ text: some StringProtocol, plusIsSpace: Bool) -> String {
        var input = Array(text.utf8)[...]
        var output: [UInt8] = []
        while let byte = input.popFirst() {
            if byte == UInt8(ascii: "%"), input.count >= 2,
                let high = hexValue(input[input.startIndex]), let low = hexValue(input[input.startIndex + 1])
            {
                output.append(high << 4 | low)
                input.removeFirst(2)
            } else {
                output.append(plusIsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        Character(Unicode.Scalar(byte)).hexDigitValue.map(UInt8.init)
    }
}
