/// A Thingiverse order date such as `2016-04-29 08:03:38`: parsed, with the text as received kept.
///
/// Thingiverse writes no time zone; the dates are taken as UTC. ``sortable`` is the ISO 8601
/// form (`2016-04-29T08:03:38Z`), which orders correctly as text in either database.
public struct OrderTimestamp: Sendable, Hashable {
    /// Exactly what the delivery said.
    public let original: String
    public let year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int

    /// Accepts the documented `YYYY-MM-DD HH:MM:SS` and the ISO 8601 variant `YYYY-MM-DDTHH:MM:SS[Z]`.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 19 || (bytes.count == 20 && bytes[19] == UInt8(ascii: "Z")) else { return nil }
        guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: " ") || bytes[10] == UInt8(ascii: "T"),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":")
        else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            (1...12).contains(month), (1...Self.daysIn(month: month, year: year)).contains(day),
            hour < 24, minute < 60, second < 60
        else { return nil }
        self.original = text
        (self.year, self.month, self.day, self.hour, self.minute, self.second) = (year, month, day, hour, minute, second)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` (every field has its fixed width: the year was read from four digits).
    public var sortable: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20)
        func digits(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
        }
        // Each field with its width and the character after it.
        let fields: [(value: Int, width: Int, next: Unicode.Scalar)] = [
            (year, 4, "-"), (month, 2, "-"), (day, 2, "T"), (hour, 2, ":"), (minute, 2, ":"), (second, 2, "Z"),
        ]
        for field in fields {
            digits(field.value, field.width)
            bytes.append(UInt8(ascii: field.next))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
