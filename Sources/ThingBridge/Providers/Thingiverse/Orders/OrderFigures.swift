import Foundation
import SQLKit

/// Which day an order (and its refund) counts on in the per-day figures.
public enum FigureBasis: String, Sendable, CaseIterable, Codable {
    /// The order's own dates: `add_date` for the order, `modified_date` for its refund (the
    /// day received when Thingiverse did not say).
    case order
    /// The days ThingBridge received the order's first and last events.
    case received
}

/// The dashboard's figures, kept per day in `order_figures` and changed in the transaction that
/// changes an order's row: whatever an order contributed before is taken away and what it
/// contributes now is added, so a read is a sum over days (a few thousand rows in a decade),
/// never over orders or events.
///
/// An order contributes, on its day: 1 order, 1 to its state's count and, unless refunded, its
/// amount to the revenue; once refunded, on its refund's day: 1 refund and its amount.
enum OrderFigures {
    /// The parts of an order row the figures depend on.
    struct Snapshot: Sendable, Equatable {
        var state: OrderState
        var amount: DecimalAmount?
        /// `YYYY-MM-DD` of `add_date` / `modified_date`, when known.
        var addDay: String?
        var modifiedDay: String?
        /// Microseconds since 1970.
        var firstReceivedAt: Int64
        var lastReceivedAt: Int64

        init(state: OrderState, amount: DecimalAmount?, addDate: String?, modifiedDate: String?, firstReceivedAt: Int64, lastReceivedAt: Int64) {
            self.state = state
            self.amount = amount
            self.addDay = addDate.flatMap(Self.day(of:))
            self.modifiedDay = modifiedDate.flatMap(Self.day(of:))
            self.firstReceivedAt = firstReceivedAt
            self.lastReceivedAt = lastReceivedAt
        }

        init(_ facts: OrderFacts) {
            self.init(
                state: facts.state, amount: facts.amount, addDate: facts.addDate?.original, modifiedDate: facts.modifiedDate?.original,
                firstReceivedAt: facts.firstReceivedAt, lastReceivedAt: facts.lastReceivedAt)
        }

        /// Reads the columns of an `orders` row.
        init(row: any SQLRow) throws {
            self.init(
                state: OrderState(rawValue: try row.decode(column: "state", as: String.self)) ?? .created,
                amount: try row.decode(column: "amount", as: String?.self).flatMap { DecimalAmount($0) },
                addDate: try row.decode(column: "add_date", as: String?.self),
                modifiedDate: try row.decode(column: "modified_date", as: String?.self),
                firstReceivedAt: try row.decode(column: "first_received_at", as: Int64.self),
                lastReceivedAt: try row.decode(column: "last_received_at", as: Int64.self))
        }

        /// An order date's day: both accepted forms start with `YYYY-MM-DD`.
        static func day(of date: String) -> String? {
            OrderTimestamp(date).map { String($0.original.prefix(10)) }
        }

        func orderDay(_ basis: FigureBasis) -> String {
            switch basis {
            case .order: addDay ?? UTCDay.text(microseconds: firstReceivedAt)
            case .received: UTCDay.text(microseconds: firstReceivedAt)
            }
        }

        func refundDay(_ basis: FigureBasis) -> String {
            switch basis {
            case .order: modifiedDay ?? UTCDay.text(microseconds: lastReceivedAt)
            case .received: UTCDay.text(microseconds: lastReceivedAt)
            }
        }
    }

    struct Key: Hashable, Comparable {
        let basis: FigureBasis
        let day: String

        static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.basis.rawValue, lhs.day) < (rhs.basis.rawValue, rhs.day)
        }
    }

    /// One day's figures, or a change to them.
    struct Figures: Sendable, Equatable {
        var orders = 0
        var created = 0
        var refundRequested = 0
        var refunded = 0
        var revenue = MoneyTotal()
        var refunds = 0
        var refundedAmount = MoneyTotal()

        var isZero: Bool { self == Figures() }

        static func += (lhs: inout Figures, rhs: Figures) {
            lhs.orders += rhs.orders
            lhs.created += rhs.created
            lhs.refundRequested += rhs.refundRequested
            lhs.refunded += rhs.refunded
            lhs.revenue += rhs.revenue
            lhs.refunds += rhs.refunds
            lhs.refundedAmount += rhs.refundedAmount
        }

        /// `self` with every figure negated.
        var negated: Figures {
            Figures(
                orders: -orders, created: -created, refundRequested: -refundRequested, refunded: -refunded,
                revenue: MoneyTotal() - revenue, refunds: -refunds, refundedAmount: MoneyTotal() - refundedAmount)
        }
    }

    /// What one order adds to the figures, per basis and day.
    static func contribution(of order: Snapshot, sign: Int = 1, into changes: inout [Key: Figures]) {
        let amount = order.amount.map(MoneyTotal.init) ?? MoneyTotal()
        for basis in FigureBasis.allCases {
            var onOrderDay = Figures(orders: 1)
            switch order.state {
            case .created: onOrderDay.created = 1
            case .refundRequested: onOrderDay.refundRequested = 1
            case .refunded: onOrderDay.refunded = 1
            }
            if order.state != .refunded { onOrderDay.revenue = amount }
            changes[Key(basis: basis, day: order.orderDay(basis)), default: Figures()] += sign > 0 ? onOrderDay : onOrderDay.negated
            if order.state == .refunded {
                let onRefundDay = Figures(refunds: 1, refundedAmount: amount)
                changes[Key(basis: basis, day: order.refundDay(basis)), default: Figures()] += sign > 0 ? onRefundDay : onRefundDay.negated
            }
        }
    }

    /// The change to the figures when orders go from `before` (absent: new orders) to `after`.
    static func changes(before: [Int64: Snapshot], after: [Int64: Snapshot]) -> [Key: Figures] {
        var changes: [Key: Figures] = [:]
        for (orderID, new) in after {
            let old = before[orderID]
            if old == new { continue }
            if let old { contribution(of: old, sign: -1, into: &changes) }
            contribution(of: new, into: &changes)
        }
        return changes.filter { !$0.value.isZero }
    }

    /// Adds `changes` to the stored figures, in one statement. Both databases add integers
    /// exactly, and on PostgreSQL the upsert's row lock makes concurrent instances add in turn.
    static func apply(_ changes: [Key: Figures], sql: any SQLDatabase) async throws {
        guard !changes.isEmpty else { return }
        var query: SQLQueryString = """
            INSERT INTO order_figures (basis, day, orders, created, refund_requested, refunded, revenue_whole, revenue_nanos,
                refunds, refunded_whole, refunded_nanos) VALUES
            """
        for (index, (key, figures)) in changes.sorted(by: { $0.key < $1.key }).enumerated() {
            guard let revenue = figures.revenue.stored, let refunded = figures.refundedAmount.stored else {
                throw StorageError.unavailable(reason: "an order amount is too large to add to the figures")
            }
            query += index == 0 ? " " : ", "
            query += """
                (\(bind: key.basis.rawValue), \(bind: key.day), \(integer: figures.orders), \(integer: figures.created), \
                \(integer: figures.refundRequested), \(integer: figures.refunded), \(integer: revenue.whole), \(integer: revenue.fraction), \
                \(integer: figures.refunds), \(integer: refunded.whole), \(integer: refunded.fraction))
                """
        }
        query += """
             ON CONFLICT (basis, day) DO UPDATE SET orders = order_figures.orders + excluded.orders,
                created = order_figures.created + excluded.created,
                refund_requested = order_figures.refund_requested + excluded.refund_requested,
                refunded = order_figures.refunded + excluded.refunded,
                revenue_whole = order_figures.revenue_whole + excluded.revenue_whole,
                revenue_nanos = order_figures.revenue_nanos + excluded.revenue_nanos,
                refunds = order_figures.refunds + excluded.refunds,
                refunded_whole = order_figures.refunded_whole + excluded.refunded_whole,
                refunded_nanos = order_figures.refunded_nanos + excluded.refunded_nanos
            """
        try await sql.raw(query).run()
    }

    /// Fills `order_figures` from the orders already stored (the migration that adds it).
    static func backfill(sql: any SQLDatabase) async throws {
        var changes: [Key: Figures] = [:]
        var after: Int64 = -1
        while true {
            let rows = try await sql.raw(
                """
                SELECT order_id, state, amount, add_date, modified_date, first_received_at, last_received_at FROM orders
                WHERE order_id > \(integer: after) ORDER BY order_id LIMIT 5000
                """
            ).all()
            guard let last = rows.last else { break }
            for row in rows { contribution(of: try Snapshot(row: row), into: &changes) }
            after = try last.decode(column: "order_id", as: Int64.self)
        }
        // In slices, to stay under the databases' limits on binds per statement.
        let all = changes.filter { !$0.value.isZero }.sorted { $0.key < $1.key }
        var start = 0
        while start < all.count {
            let slice = all[start..<min(start + 200, all.count)]
            try await apply(Dictionary(uniqueKeysWithValues: slice.map { ($0.key, $0.value) }), sql: sql)
            start += slice.count
        }
    }

    /// The stored figures of `basis` for days in `since..<until` (whole days, `YYYY-MM-DD`).
    static func read(basis: FigureBasis, since: String?, until: String?, sql: any SQLDatabase) async throws -> [(day: String, figures: Figures)] {
        var query: SQLQueryString = """
            SELECT day, orders, created, refund_requested, refunded, revenue_whole, revenue_nanos, refunds, refunded_whole, refunded_nanos
            FROM order_figures WHERE basis = \(bind: basis.rawValue)
            """
        if let since { query += " AND day >= \(bind: since)" }
        if let until { query += " AND day < \(bind: until)" }
        query += " ORDER BY day"
        return try await sql.raw(query).all().map { row in
            let figures = Figures(
                orders: try row.decode(column: "orders", as: Int.self),
                created: try row.decode(column: "created", as: Int.self),
                refundRequested: try row.decode(column: "refund_requested", as: Int.self),
                refunded: try row.decode(column: "refunded", as: Int.self),
                revenue: MoneyTotal(
                    whole: try row.decode(column: "revenue_whole", as: Int64.self), fraction: try row.decode(column: "revenue_nanos", as: Int64.self)),
                refunds: try row.decode(column: "refunds", as: Int.self),
                refundedAmount: MoneyTotal(
                    whole: try row.decode(column: "refunded_whole", as: Int64.self),
                    fraction: try row.decode(column: "refunded_nanos", as: Int64.self))
            )
            return (day: try row.decode(column: "day", as: String.self), figures: figures)
        }
    }
}

/// Calendar days in UTC, computed from integers (no calendar or formatter on the ingest path).
enum UTCDay {
    /// `YYYY-MM-DD` of a time in microseconds since 1970.
    static func text(microseconds: Int64) -> String {
        let days = Int(microseconds.dividedRoundingDown(by: 86_400_000_000))
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// The day of a `Date`, or `nil` unless it is exactly midnight UTC.
    static func text(midnight date: Date) -> String? {
        let microseconds = Timestamp.microseconds(date)
        guard microseconds % 86_400_000_000 == 0 else { return nil }
        return text(microseconds: microseconds)
    }
}

extension Int64 {
    fileprivate func dividedRoundingDown(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
