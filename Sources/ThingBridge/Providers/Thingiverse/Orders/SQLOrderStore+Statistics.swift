import Foundation
import SQLKit

/// Exact order figures for a range of days: what `GET /admin/api/stats` answers.
public struct OrderStatistics: Sendable, Equatable {
    /// One day of the series.
    public struct Day: Sendable, Equatable {
        public var day: String
        public var orders: Int
        public var revenue: MoneyTotal
        public var refunds: Int
        public var refundedAmount: MoneyTotal
    }

    public var basis: FigureBasis
    /// First day counted (`YYYY-MM-DD`), or `nil` for the first there is.
    public var since: String?
    /// First day not counted, or `nil` for no end.
    public var until: String?
    public var orders: Int
    /// The amounts of orders not refunded.
    public var revenue: MoneyTotal
    /// The amounts of refunded orders (counted on their refund's day).
    public var refundedAmount: MoneyTotal
    /// Orders whose refund was requested and not decided yet.
    public var refundsRequested: Int
    /// Refunds granted (refunded orders, counted on their refund's day).
    public var refundsGranted: Int
    /// Orders per state (counted on their order's day).
    public var states: [OrderState: Int]
    /// Days with any figure, oldest first.
    public var days: [Day]
}

extension SQLOrderStore {
    /// The figures of days `since..<until` (`YYYY-MM-DD`, either open), counted by `basis`.
    public func statistics(basis: FigureBasis = .order, since: String? = nil, until: String? = nil) async throws -> OrderStatistics {
        let rows = try await database.read { sql in try await OrderFigures.read(basis: basis, since: since, until: until, sql: sql) }
        var total = OrderFigures.Figures()
        var days: [OrderStatistics.Day] = []
        for (day, figures) in rows where !figures.isZero {
            total += figures
            days.append(
                OrderStatistics.Day(
                    day: day, orders: figures.orders, revenue: figures.revenue, refunds: figures.refunds, refundedAmount: figures.refundedAmount))
        }
        return OrderStatistics(
            basis: basis, since: since, until: until, orders: total.orders, revenue: total.revenue, refundedAmount: total.refundedAmount,
            refundsRequested: total.refundRequested, refundsGranted: total.refunds,
            states: [.created: total.created, .refundRequested: total.refundRequested, .refunded: total.refunded],
            days: days)
    }
}
