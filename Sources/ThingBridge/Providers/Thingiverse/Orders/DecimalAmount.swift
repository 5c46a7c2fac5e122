/// An exact amount of money as Thingiverse sends it (`"14.53"` or `14.53`), never a floating point number.
///
/// Kept as an integer count of the smallest unit written plus its number of decimal places, so
/// `14.53` is 1453 × 10⁻². ``text`` is the canonical form stored and shown.
public struct DecimalAmount: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The amount in units of 10^-``scale``.
    public let units: Int64
    /// Decimal places, 0 to 9.
    public let scale: Int

    /// Parses plain decimal notation: an optional `-`, digits, optionally `.` and up to 9 digits.
    /// Exponents, `+`, spaces, thousands separators and more than 18 digits are refused.
    public init?(_ text: some StringProtocol) {
        var utf8 = Substring(text).utf8[...]
        var negative = false
        if utf8.first == UInt8(ascii: "-") {
            negative = true
            utf8 = utf8.dropFirst()
        }
        var units: Int64 = 0
        var scale = 0
        var digits = 0
        var seenPoint = false
        for byte in utf8 {
            if byte == UInt8(ascii: ".") {
                guard !seenPoint, digits > 0 else { return nil }
                seenPoint = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            digits += 1
            if seenPoint { scale += 1 }
            guard digits <= 18, scale <= 9 else { return nil }
            units = units * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        guard digits > 0, !(seenPoint && scale == 0) else { return nil }
        self.units = negative ? -units : units
        self.scale = scale
    }

    public init(units: Int64, scale: Int) {
        precondition((0...9).contains(scale), "scale must be 0...9")
        self.units = units
        self.scale = scale
    }

    /// Decimal text, e.g. `14.53`, `-0.05`, `3`.
    public var text: String {
        var digits = Array(String(units.magnitude).utf8)
        if digits.count <= scale {
            digits.insert(contentsOf: repeatElement(UInt8(ascii: "0"), count: scale - digits.count + 1), at: 0)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count + 2)
        if units < 0 { bytes.append(UInt8(ascii: "-")) }
        bytes.append(contentsOf: digits[..<(digits.count - scale)])
        if scale > 0 {
            bytes.append(UInt8(ascii: "."))
            bytes.append(contentsOf: digits[(digits.count - scale)...])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    public var description: String { text }

    /// Equal amounts compare equal whatever their scale (`14.5 == 14.50`).
    public static func == (lhs: DecimalAmount, rhs: DecimalAmount) -> Bool {
        compare(lhs, rhs) == 0
    }

    public func hash(into hasher: inout Hasher) {
        var normal = self
        while normal.scale > 0 && normal.units % 10 == 0 {
            normal = DecimalAmount(units: normal.units / 10, scale: normal.scale - 1)
        }
        hasher.combine(normal.units)
        hasher.combine(normal.scale)
    }

    public static func < (lhs: DecimalAmount, rhs: DecimalAmount) -> Bool {
        compare(lhs, rhs) < 0
    }

    private static func compare(_ lhs: DecimalAmount, _ rhs: DecimalAmount) -> Int {
        // Scale both to the larger scale in 128-bit arithmetic, which cannot overflow for 18 digits and 9 places.
        let scale = max(lhs.scale, rhs.scale)
        let left = Int128(lhs.units) * power(scale - lhs.scale)
        let right = Int128(rhs.units) * power(scale - rhs.scale)
        return left == right ? 0 : (left < right ? -1 : 1)
    }

    private static func power(_ exponent: Int) -> Int128 {
        var result: Int128 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }
}
