import Logging

/// JSON text written straight into a byte buffer, for log lines: strings escaped per RFC 8259,
/// metadata values as strings, arrays and objects (the text layout's `description` otherwise).
enum JSONText {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func appendString(_ text: String, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\""))
        for byte in text.utf8 where !appendControl(byte, to: &buffer) {
            switch byte {
            case UInt8(ascii: "\""): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            default: buffer.append(byte)
            }
        }
        buffer.append(UInt8(ascii: "\""))
    }

    /// Writes `byte` escaped as JSON writes a control character (`\n`, `\r`, `\t`, `\u00XX`, and
    /// DEL as `\u007f`) and returns true; returns false, writing nothing, for any other byte.
    static func appendControl(_ byte: UInt8, to buffer: inout [UInt8]) -> Bool {
        switch byte {
        case UInt8(ascii: "\n"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
        case UInt8(ascii: "\r"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
        case UInt8(ascii: "\t"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
        case 0..<0x20, 0x7F:
            buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
            buffer.append(hexDigits[Int(byte >> 4)])
            buffer.append(hexDigits[Int(byte & 0x0F)])
        default: return false
        }
        return true
    }

    static func appendValue(_ value: Logger.MetadataValue, to buffer: inout [UInt8]) {
        switch value {
        case .string(let text):
            appendString(text, to: &buffer)
        case .stringConvertible(let convertible):
            appendString(convertible.description, to: &buffer)
        case .array(let values):
            buffer.append(UInt8(ascii: "["))
            for (index, element) in values.enumerated() {
                if index > 0 { buffer.append(UInt8(ascii: ",")) }
                appendValue(element, to: &buffer)
            }
            buffer.append(UInt8(ascii: "]"))
        case .dictionary(let dictionary):
            buffer.append(UInt8(ascii: "{"))
            for (index, key) in dictionary.keys.sorted().enumerated() {
                if index > 0 { buffer.append(UInt8(ascii: ",")) }
                appendString(key, to: &buffer)
                buffer.append(UInt8(ascii: ":"))
                appendValue(dictionary[key]!, to: &buffer)
            }
            buffer.append(UInt8(ascii: "}"))
        }
    }
}
