import Foundation

/// How a "List" command narrows and pages its answer: `filter__FIELD[__CONDITION]=VALUE`
/// parameters (conditions `in`, `gt`, `gte`, `lt`, `lte`, `contains`, `icontains`; custom fields
/// as `filter__custom_fields__NAME...`), then `page` (from 1) and `limit` (default 50).
struct UserEchoListQuery: Sendable {
    static let defaultLimit = 50
    static let maximumLimit = 1000

    var page: Int
    var limit: Int
    var filters: [Filter]

    /// One `filter__...` parameter.
    struct Filter: Sendable {
        /// The member path in the listed object, e.g. `["status"]` or `["custom_fields", "cf_1"]`.
        var path: [String]
        var condition: Condition
        var value: String
    }

    enum Condition: String, Sendable {
        case equal, `in`, gt, gte, lt, lte, contains, icontains
    }

    /// Reads the paging and filter parameters; 400 for a bad number or an unknown condition.
    init(_ query: [String: String]) throws(UserEchoAPIError) {
        self.page = try Self.positive(query["page"], name: "page", fallback: 1)
        self.limit = min(try Self.positive(query["limit"], name: "limit", fallback: Self.defaultLimit), Self.maximumLimit)
        var filters: [Filter] = []
        for (name, value) in query.sorted(by: { $0.key < $1.key }) where name.hasPrefix("filter__") {
            var parts = name.dropFirst("filter__".count).components(separatedBy: "__")
            var path = [parts.removeFirst()]
            if path[0] == "custom_fields" {
                guard !parts.isEmpty else { throw .badRequest("\(name) names no custom field.") }
                path.append(parts.removeFirst())
            }
            guard parts.count <= 1, !path.contains(where: \.isEmpty) else {
                throw .badRequest("\(name) is not a filter UserEcho understands.")
            }
            var condition = Condition.equal
            if let word = parts.first {
                guard let known = Condition(rawValue: word), known != .equal else {
                    throw .badRequest("Unknown filter condition in \(name); use in, gt, gte, lt, lte, contains or icontains.")
                }
                condition = known
            }
            filters.append(Filter(path: path, condition: condition, value: value))
        }
        self.filters = filters
    }

    /// The objects that pass every filter, then the requested page of them.
    func apply(_ objects: [JSONValue]) -> [JSONValue] {
        let kept = objects.filter { object in filters.allSatisfy { $0.matches(object) } }
        let (start, overflow) = (page - 1).multipliedReportingOverflow(by: limit)
        guard !overflow, start < kept.count else { return [] }
        return Array(kept[start..<min(kept.count, start + limit)])
    }

    private static func positive(_ text: String?, name: String, fallback: Int) throws(UserEchoAPIError) -> Int {
        guard let text, !text.isEmpty else { return fallback }
        guard let value = Int(text), value >= 1 else { throw .badRequest("\(name) must be a positive integer.") }
        return value
    }
}

extension UserEchoListQuery.Filter {
    /// Whether `object`'s member passes. Numbers compare as numbers when the filter value is one,
    /// everything else as text (ISO 8601 dates sort as text); an object member (e.g. `author`)
    /// is compared by its `id`; a missing member never matches.
    func matches(_ object: JSONValue) -> Bool {
        var member: JSONValue? = object
        for name in path { member = member?[name] }
        if case .object? = member { member = member?["id"] }
        guard let member, let actual = Self.text(member) else { return false }
        switch condition {
        case .equal: return Self.compare(actual, value) == 0
        case .in: return value.split(separator: ",").contains { Self.compare(actual, String($0)) == 0 }
        case .gt: return Self.compare(actual, value) > 0
        case .gte: return Self.compare(actual, value) >= 0
        case .lt: return Self.compare(actual, value) < 0
        case .lte: return Self.compare(actual, value) <= 0
        case .contains: return actual.contains(value)
        case .icontains: return actual.lowercased().contains(value.lowercased())
        }
    }

    private static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): return text
        case .integer(let number): return String(number)
        case .number(let number): return String(number)
        case .bool(let flag): return flag ? "1" : "0"
        case .null, .array, .object: return nil
        }
    }

    /// -1, 0 or 1: numerically when both sides are numbers, else as text; `true`/`false` equal `1`/`0`.
    private static func compare(_ actual: String, _ wanted: String) -> Int {
        let wanted = wanted == "true" ? "1" : wanted == "false" ? "0" : wanted
        if let left = Double(actual), let right = Double(wanted) {
            return left < right ? -1 : left > right ? 1 : 0
        }
        return actual < wanted ? -1 : actual > wanted ? 1 : 0
    }
}
