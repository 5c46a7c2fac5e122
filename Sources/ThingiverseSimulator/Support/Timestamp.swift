import Foundation

/// Formats instants the way Thingiverse writes them, in UTC and without locale-dependent formatters.
enum Timestamp {
    /// Seconds since 1970 now, from the wall clock.
    static func now() -> Int {
        Int(Date().timeIntervalSince1970)
    }

    /// `2013-02-22T21:32:27+00:00`, as in user and thing objects.
    static func iso8601(_ epochSeconds: Int) -> String {
        let (date, time) = civil(epochSeconds)
        return "\(date)T\(time)+00:00"
    }

    /// `2016-04-28 16:28:40`, as in order objects.
    static func orderDate(_ epochSeconds: Int) -> String {
        let (date, time) = civil(epochSeconds)
        return "\(date) \(time)"
    }

    /// The Gregorian calendar in UTC, which every simulated provider writes times in.
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// The UTC date and time of day, `2016-04-28` and `16:28:40`.
    private static func civil(_ epochSeconds: Int) -> (date: String, time: String) {
        let parts = utc.dateComponents(
            [.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: TimeInterval(epochSeconds)))
        let date = String(format: "%04ld-%02ld-%02ld", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
        return (date, String(format: "%02ld:%02ld:%02ld", parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0))
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
        let format = /(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:Z|([+\- ])(\d\d):(\d\d))?/.asciiOnlyDigits()
        guard let parts = text.trimmingWhitespace.wholeMatch(of: format)?.output else { return nil }
        // Two to four ASCII digits each, so every number reads.
        let (year, month, day) = (Int(parts.1)!, Int(parts.2)!, Int(parts.3)!)
        let (hour, minute, second) = (Int(parts.4)!, Int(parts.5)!, Int(parts.6)!)
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        let offset = (parts.7 == "-" ? -1 : 1) * (Int(parts.8 ?? "0")! * 3600 + Int(parts.9 ?? "0")! * 60)
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        return utc.date(from: components).map { Int($0.timeIntervalSince1970) - offset }
    }
}
