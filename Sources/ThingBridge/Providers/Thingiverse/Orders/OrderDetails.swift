/// The `order` object of a webhook (or of `GET /orders/{id}`), parsed strictly.
///
/// Thingiverse documents every field as a string (`"id": "1234"`, `"amount": "14.53"`,
/// `"is_shipped": "true"`); the same fields as JSON numbers and booleans are accepted too.
/// A field that is present but cannot mean what its name says is refused with a reason, never
/// guessed at. `null` counts as absent.
public struct OrderDetails: Sendable, Equatable {
    public var id: Int64
    public var thingID: Int64?
    public var amount: DecimalAmount?
    public var fees: DecimalAmount?
    public var addDate: OrderTimestamp?
    public var modifiedDate: OrderTimestamp?
    public var charges: JSONValue?
    public var validatedShippingAddress: String?
    public var isShipped: Bool?
    public var status: String?
    public var note: String?

    /// Why an order object was refused: the field and what was wrong with it.
    public struct Invalid: Error, Sendable, Equatable {
        public let reason: String
    }

    public init(id: Int64) {
        self.id = id
    }

    /// Parses an order object; `prefix` names it in reasons (`order.amount ...`).
    public init(json: JSONValue, prefix: String = "order") throws(Invalid) {
        guard case .object(let members) = json else {
            throw Invalid(reason: "\(prefix) must be an object, not \(json.kindName)")
        }
        func field(_ name: String) -> JSONValue? {
            switch members[name] {
            case nil, .null?: nil
            case let value?: value
            }
        }
        guard let idValue = field("id") else { throw Invalid(reason: "\(prefix).id is missing") }
        self.id = try Self.identifier(idValue, "\(prefix).id")
        self.thingID = try field("thing_id").map { value throws(Invalid) in try Self.identifier(value, "\(prefix).thing_id") }
        self.amount = try field("amount").map { value throws(Invalid) in try Self.amount(value, "\(prefix).amount") }
        self.fees = try field("fees").map { value throws(Invalid) in try Self.amount(value, "\(prefix).fees") }
        self.addDate = try field("add_date").map { value throws(Invalid) in try Self.timestamp(value, "\(prefix).add_date") }
        self.modifiedDate = try field("modified_date").map { value throws(Invalid) in try Self.timestamp(value, "\(prefix).modified_date") }
        self.charges = field("charges")
        self.validatedShippingAddress = try field("validated_shipping_address").map { value throws(Invalid) in
            try Self.text(value, "\(prefix).validated_shipping_address")
        }
        self.isShipped = try field("is_shipped").map { value throws(Invalid) in try Self.flag(value, "\(prefix).is_shipped") }
        self.status = try field("status").map { value throws(Invalid) in try Self.text(value, "\(prefix).status") }
        self.note = try field("note").map { value throws(Invalid) in try Self.text(value, "\(prefix).note") }
    }

    /// A non-negative integer id, from `"1234"` or `1234`.
    static func identifier(_ value: JSONValue, _ name: String) throws(Invalid) -> Int64 {
        let text = try numberText(value, name, "an integer id")
        guard !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let id = Int64(text)
        else {
            throw Invalid(reason: "\(name) must be an integer id, not \"\(text.prefix(40))\"")
        }
        return id
    }

    /// An exact decimal, from `"14.53"` or `14.53`.
    static func amount(_ value: JSONValue, _ name: String) throws(Invalid) -> DecimalAmount {
        let text = try numberText(value, name, "a decimal amount")
        guard let amount = DecimalAmount(text) else {
            throw Invalid(reason: "\(name) must be a decimal amount such as \"14.53\", not \"\(text.prefix(40))\"")
        }
        return amount
    }

    /// The text of a number Thingiverse sends either quoted (`"14.53"`) or bare (`14.53`).
    private static func numberText(_ value: JSONValue, _ name: String, _ expected: String) throws(Invalid) -> String {
        switch value {
        case .string(let string): return string
        case .number(let number): return number
        default: throw Invalid(reason: "\(name) must be \(expected), not \(value.kindName)")
        }
    }

    static func timestamp(_ value: JSONValue, _ name: String) throws(Invalid) -> OrderTimestamp {
        guard case .string(let text) = value else {
            throw Invalid(reason: "\(name) must be a date such as \"2016-04-28 16:28:40\", not \(value.kindName)")
        }
        guard let timestamp = OrderTimestamp(text) else {
            throw Invalid(reason: "\(name) must be a date such as \"2016-04-28 16:28:40\", not \"\(text.prefix(40))\"")
        }
        return timestamp
    }

    /// `true`/`false` as a boolean, a string (`"true"`, `"1"`) or a number (`1`, `0`).
    static func flag(_ value: JSONValue, _ name: String) throws(Invalid) -> Bool {
        switch value {
        case .bool(let flag): return flag
        case .string("true"), .string("1"), .number("1"): return true
        case .string("false"), .string("0"), .number("0"): return false
        default: throw Invalid(reason: "\(name) must be true or false")
        }
    }

    /// Free text; a number or boolean is kept as its text.
    static func text(_ value: JSONValue, _ name: String) throws(Invalid) -> String {
        switch value {
        case .string(let text): return text
        case .number(let number): return number
        case .bool(let flag): return flag ? "true" : "false"
        default: throw Invalid(reason: "\(name) must be text, not \(value.kindName)")
        }
    }

    /// ``json`` as compact text, written straight from the fields (every stored order event
    /// is serialized, so no dictionary is built and sorted): the members in sorted key order,
    /// absent fields left out, exactly as `json.serialized`.
    public var serializedJSON: String {
        var output: [UInt8] = []
        output.reserveCapacity(320)
        output.append(UInt8(ascii: "{"))
        func member(_ key: StaticString, _ write: (inout [UInt8]) -> Void) {
            if output.count > 1 { output.append(UInt8(ascii: ",")) }
            output.append(UInt8(ascii: "\""))
            output.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
            output.append(contentsOf: "\":".utf8)
            write(&output)
        }
        func text(_ key: StaticString, _ value: String?) {
            if let value { member(key) { JSONValue.writeString(value, to: &$0) } }
        }
        text("add_date", addDate?.original)
        text("amount", amount?.text)
        if let charges { member("charges") { $0.append(contentsOf: charges.serialized.utf8) } }
        text("fees", fees?.text)
        member("id") { $0.append(contentsOf: String(id).utf8) }
        if let isShipped { member("is_shipped") { $0.append(contentsOf: (isShipped ? "true" : "false").utf8) } }
        text("modified_date", modifiedDate?.original)
        text("note", note)
        text("status", status)
        if let thingID { member("thing_id") { $0.append(contentsOf: String(thingID).utf8) } }
        text("validated_shipping_address", validatedShippingAddress)
        output.append(UInt8(ascii: "}"))
        return String(decoding: output, as: UTF8.self)
    }

    /// The parsed fields as a JSON object (amounts as exact strings, dates as received), for
    /// storage and the admin API.
    public var json: JSONValue {
        var members: [String: JSONValue] = ["id": .number(String(id))]
        members["thing_id"] = thingID.map { .number(String($0)) }
        members["amount"] = amount.map { .string($0.text) }
        members["fees"] = fees.map { .string($0.text) }
        members["add_date"] = addDate.map { .string($0.original) }
        members["modified_date"] = modifiedDate.map { .string($0.original) }
        members["charges"] = charges
        members["validated_shipping_address"] = validatedShippingAddress.map { .string($0) }
        members["is_shipped"] = isShipped.map { .bool($0) }
        members["status"] = status.map { .string($0) }
        members["note"] = note.map { .string($0) }
        return .object(members)
    }
}
