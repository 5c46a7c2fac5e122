import Foundation

/// Formats instants the way Thingiverse writes them, without locale-dependent formatters.
enum Timestamp {
    /// Seconds since 1970 now, from the wall clock.
    static func now() -> Int {
        Int(Date().timeIntervalSince1970)
    }

    /// `2013-02-22T21:32:27+00:00`, as in user and thing objects.
    static func iso8601(_ epochSeconds: Int) -> String {
        let parts = civil(epochSeconds)
        return "\(pad(parts.year, 4))-\(pad(parts.month))-\(pad(parts.day))T"
            + "\(pad(parts.hour)):\(pad(parts.minute)):\(pad(parts.second))+00:00"
    }

    /// `2016-04-28 16:28:40`, as in order objects.
    static func orderDate(_ epochSeconds: Int) -> String {
        let parts = civil(epochSeconds)
        return "\(pad(parts.year, 4))-\(pad(parts.month))-\(pad(parts.day)) "
            + "\(pad(parts.hour)):\(pad(parts.minute)):\(pad(parts.second))"
    }

    private static func pad(_ value: Int, _ width: Int = 2) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian, UTC).
    private static func civil(_ epochSeconds: Int) -> (
        year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int
    ) {
        let days = Int((Double(epochSeconds) / 86_400).rounded(.down))
        let secondsOfDay = epochSeconds - days * 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day, secondsOfDay / 3600, (secondsOfDay % 3600) / 60, secondsOfDay % 60)
    }
}

extension Duration {
    /// The duration in seconds as a floating point number (for clocks and headers only).
    var seconds: Double {
        Double(self.components.seconds) + Double(self.components.attoseconds) / 1e18
    }
}

extension Timestamp {
    /// Epoch seconds of `2016-04-28T16:28:40+00:00` (also `Z`, `-05:00`, no offset for UTC, or
    /// a space where a `+` was form-decoded), or `nil` when it is not such a time.
    static func parseISO8601(_ text: String) -> Int? {
        let characters = Array(text.trimmingWhitespace)
        guard characters.count >= 19, characters[4] == "-", characters[7] == "-",
            characters[10] == "T" || characters[10] == " ", characters[13] == ":", characters[16] == ":"
        else { return nil }
        func number(_ range: Range<Int>) -> Int? { Int(String(characters[range])) }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var offset = 0
        let zone = String(characters[19...])
        if !(zone.isEmpty || zone == "Z") {
            let sign = zone.first == "-" ? -1 : 1
            guard ["+", "-", " "].contains(zone.first), zone.count == 6, Array(zone)[3] == ":",
                let hours = Int(zone.dropFirst().prefix(2)), let minutes = Int(zone.suffix(2))
            else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        }
        // Howard Hinnant's days-from-civil, the inverse of `civil` above.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return days * 86_400 + hour * 3600 + minute * 60 + second - offset
    }
}
