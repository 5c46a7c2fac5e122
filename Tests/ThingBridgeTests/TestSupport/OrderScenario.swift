import Foundation

@testable import ThingBridge

/// A seeded mix of order webhooks (refunds before their orders, repeats, shuffled arrival) and
/// the figures they must add up to, computed here from the deliveries alone, independently of
/// the server's code: plain integers in thousandths of a dollar, days from the strings sent.
struct OrderScenario {
    /// One webhook as sent.
    struct Delivery {
        let orderID: Int
        let kind: OrderEventKind
        let body: String
    }

    struct Order {
        let id: Int
        let thingID: Int
        /// Thousandths of a dollar.
        let milli: Int
        let addDate: String
        /// The events it gets, each with its own modified date.
        let kinds: [OrderEventKind]
    }

    let orders: [Order]
    let deliveries: [Delivery]

    /// A small deterministic generator (SplitMix64), so a failure can be replayed.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    }

    /// - Parameters:
    ///   - count: orders.
    ///   - firstID: the first order id (ids are consecutive).
    ///   - seed: the generator's seed.
    init(count: Int, firstID: Int = 10_000, seed: UInt64 = 22) {
        var random = Random(state: seed)
        var orders: [Order] = []
        var deliveries: [Delivery] = []
        let eventSets: [[OrderEventKind]] = [
            [.created], [.created], [.created], [.created, .refundRequested], [.created, .refundRequested, .refunded],
            [.created, .refunded], [.refunded], [.refundRequested], [.refundRequested, .refunded],
        ]
        for index in 0..<count {
            let id = firstID + index
            let kinds = eventSets[random.below(eventSets.count)]
            // Amounts with two or three places, some under a dollar.
            let milli = random.below(4) == 0 ? random.below(1000) : 1000 + random.below(200_000) * (random.below(3) == 0 ? 1 : 10)
            let day = 1 + random.below(9)
            let order = Order(
                id: id, thingID: 500 + random.below(40), milli: milli, addDate: "2024-03-0\(day) 1\(random.below(10)):00:00", kinds: kinds)
            orders.append(order)
            for kind in kinds {
                let body = WebhookBodies.order(
                    kind.rawValue, id: String(id), thingID: String(order.thingID), amount: Self.text(milli: milli),
                    addDate: order.addDate, modifiedDate: Self.modifiedDate(order, kind))
                deliveries.append(Delivery(orderID: id, kind: kind, body: body))
                // Every fifth event is delivered twice.
                if random.below(5) == 0 { deliveries.append(Delivery(orderID: id, kind: kind, body: body)) }
            }
        }
        // Shuffle (Fisher-Yates with the seeded generator): refunds often arrive before their orders.
        for index in stride(from: deliveries.count - 1, to: 0, by: -1) {
            deliveries.swapAt(index, random.below(index + 1))
        }
        self.orders = orders
        self.deliveries = deliveries
    }

    /// Each kind of event is a later change to the order: created on its add date, the
    /// refund request a day later, the refund two days later.
    static func modifiedDate(_ order: Order, _ kind: OrderEventKind) -> String {
        let day = Int(order.addDate.dropFirst(8).prefix(2))!
        let offset = kind == .created ? 0 : kind == .refundRequested ? 1 : 2
        return "2024-03-\(String(format: "%02d", day + offset))\(order.addDate.dropFirst(10))"
    }

    static func text(milli: Int) -> String {
        let fraction = String(format: "%03d", milli % 1000)
        return "\(milli / 1000)." + (fraction.hasSuffix("0") ? String(fraction.prefix(2)) : fraction)
    }

    /// Dollars from thousandths, as the server writes totals (at least two places).
    static func total(milli: Int) -> String {
        let sign = milli < 0 ? "-" : ""
        let fraction = String(format: "%03d", abs(milli) % 1000)
        return "\(sign)\(abs(milli) / 1000)." + (fraction.hasSuffix("0") ? String(fraction.prefix(2)) : fraction)
    }

    /// What the figures must say (basis `order`), for the days `since..<until`.
    struct Expected: Equatable, CustomStringConvertible {
        var orders = 0
        var revenueMilli = 0
        var refundedMilli = 0
        var requested = 0
        var granted = 0
        var states: [String: Int] = ["created": 0, "refund_requested": 0, "refunded": 0]
        /// day → (orders, revenue, refunds, refunded)
        var days: [String: (orders: Int, revenueMilli: Int, refunds: Int, refundedMilli: Int)] = [:]

        static func == (lhs: Expected, rhs: Expected) -> Bool { lhs.description == rhs.description }

        var description: String {
            let series = days.keys.sorted().map { day in
                let figures = days[day]!
                return "\(day):\(figures.orders)/\(total(milli: figures.revenueMilli))/\(figures.refunds)/\(total(milli: figures.refundedMilli))"
            }
            return "orders \(orders) revenue \(total(milli: revenueMilli)) refunded \(total(milli: refundedMilli)) requested \(requested) "
                + "granted \(granted) states \(states.sorted { $0.key < $1.key }) days \(series)"
        }
    }

    /// The figures of the orders that got at least one of `delivered`'s events.
    func expected(delivered: [Delivery]? = nil, since: String? = nil, until: String? = nil) -> Expected {
        let seen = Dictionary(grouping: delivered ?? deliveries, by: \.orderID).mapValues { Set($0.map(\.kind)) }
        func inRange(_ day: String) -> Bool { (since.map { day >= $0 } ?? true) && (until.map { day < $0 } ?? true) }
        var expected = Expected()
        for order in orders {
            guard let kinds = seen[order.id] else { continue }
            // The documented precedence: a granted refund beats a request, which beats the creation.
            let state = kinds.contains(.refunded) ? "refunded" : kinds.contains(.refundRequested) ? "refund_requested" : "created"
            let orderDay = String(order.addDate.prefix(10))
            // The refund counts on the newest modified date among the events received.
            let newest = kinds.map { Self.modifiedDate(order, $0) }.max()!
            let refundDay = String(newest.prefix(10))
            if inRange(orderDay) {
                expected.orders += 1
                expected.states[state, default: 0] += 1
                if state == "refund_requested" { expected.requested += 1 }
                var day = expected.days[orderDay] ?? (0, 0, 0, 0)
                day.orders += 1
                if state != "refunded" {
                    expected.revenueMilli += order.milli
                    day.revenueMilli += order.milli
                }
                expected.days[orderDay] = day
            }
            if state == "refunded", inRange(refundDay) {
                expected.granted += 1
                expected.refundedMilli += order.milli
                var day = expected.days[refundDay] ?? (0, 0, 0, 0)
                day.refunds += 1
                day.refundedMilli += order.milli
                expected.days[refundDay] = day
            }
        }
        return expected
    }

    /// Reads `GET /admin/api/stats`'s answer into the same shape.
    static func actual(_ json: JSONValue) -> Expected {
        func int(_ value: JSONValue?) -> Int {
            if case .number(let text)? = value { return Int(text) ?? -1 }
            return -1
        }
        func milli(_ value: JSONValue?) -> Int {
            guard case .string(let text)? = value, let amount = DecimalAmount(text) else { return Int.min }
            var units = Int(amount.units)
            var scale = amount.scale
            while scale < 3 {
                units *= 10
                scale += 1
            }
            while scale > 3 {
                units /= 10
                scale -= 1
            }
            return units
        }
        var actual = Expected()
        actual.orders = int(json["orders"])
        actual.revenueMilli = milli(json["revenue"])
        actual.refundedMilli = milli(json["refunded_amount"])
        actual.requested = int(json["refunds_requested"])
        actual.granted = int(json["refunds_granted"])
        for state in ["created", "refund_requested", "refunded"] { actual.states[state] = int(json["states"]?[state]) }
        if case .array(let days)? = json["days"] {
            for day in days {
                guard case .string(let name)? = day["day"] else { continue }
                actual.days[name] = (int(day["orders"]), milli(day["revenue"]), int(day["refunds"]), milli(day["refunded_amount"]))
            }
        }
        return actual
    }
}
