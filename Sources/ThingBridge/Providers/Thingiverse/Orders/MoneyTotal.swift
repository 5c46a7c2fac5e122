/// A sum of ``DecimalAmount``s, exact: kept in billionths (the finest scale an amount can have)
/// in 128-bit arithmetic, so adding hundreds of thousands of orders never rounds.
public struct MoneyTotal: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The total in units of 10⁻⁹.
    public private(set) var nanos: Int128

    static let nanosPerUnit: Int128 = 1_000_000_000

    public init(nanos: Int128 = 0) {
        self.nanos = nanos
    }

    public init(_ amount: DecimalAmount) {
        var factor: Int128 = 1
        for _ in 0..<(9 - amount.scale) { factor *= 10 }
        self.nanos = Int128(amount.units) * factor
    }

    /// Stored as two integer columns (whole units and billionths, both with the total's sign),
    /// which both databases add exactly with `+`.
    init(whole: Int64, fraction: Int64) {
        self.nanos = Int128(whole) * Self.nanosPerUnit + Int128(fraction)
    }

    /// The whole units and billionths for storage; `nil` if the whole part does not fit 64 bits.
    var stored: (whole: Int64, fraction: Int64)? {
        guard let whole = Int64(exactly: nanos / Self.nanosPerUnit) else { return nil }
        return (whole, Int64(nanos % Self.nanosPerUnit))
    }

    public static func + (lhs: MoneyTotal, rhs: MoneyTotal) -> MoneyTotal { MoneyTotal(nanos: lhs.nanos + rhs.nanos) }
    public static func - (lhs: MoneyTotal, rhs: MoneyTotal) -> MoneyTotal { MoneyTotal(nanos: lhs.nanos - rhs.nanos) }
    public static func += (lhs: inout MoneyTotal, rhs: MoneyTotal) { lhs.nanos += rhs.nanos }
    public static func < (lhs: MoneyTotal, rhs: MoneyTotal) -> Bool { lhs.nanos < rhs.nanos }

    /// Decimal text with at least two places and no more than needed: `5894050.91`, `0.00`, `1.125`.
    public var text: String {
        let magnitude = nanos.magnitude
        let whole = magnitude / UInt128(Self.nanosPerUnit)
        var fraction = String(magnitude % UInt128(Self.nanosPerUnit))
        fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
        while fraction.count > 2 && fraction.hasSuffix("0") { fraction.removeLast() }
        return (nanos < 0 ? "-" : "") + String(whole) + "." + fraction
    }

    public var description: String { text }
}
