/// An order as Thingiverse describes it in webhooks and in `GET /orders/{id}`.
/// Every field is a string on the wire, as in the documentation (`"amount": "14.53"`).
public struct SimulatedOrder: Sendable, Equatable {
    /// Order id, e.g. `"1234"`.
    public var id: String
    /// Id of the thing that was bought.
    public var thingID: String
    /// Total in dollars as a decimal string, e.g. `"14.53"` (never a floating point number).
    public var amount: String
    /// `2016-04-28 16:28:40` format.
    public var addDate: String
    /// `2016-04-29 08:03:38` format.
    public var modifiedDate: String
    /// The individual charges making up the order.
    public var charges: [SimulatedCharge]
    /// Fees as a decimal string, e.g. `"0.54"`.
    public var fees: String
    /// The shipping address Thingiverse validated, on one line.
    public var validatedShippingAddress: String
    /// Sent as `"true"` / `"false"`.
    public var isShipped: Bool
    /// e.g. `paid`, `refund_requested`, `refunded`.
    public var status: String
    /// Free text from the buyer.
    public var note: String

    /// The order from the documentation's example, with the given id.
    public static func sample(id: String) -> SimulatedOrder {
        printedPart(
            id: id, thingID: SeedData.firstThingID, prices: ("14.53", "13.99", "0.54"), added: "2016-04-28 16:28:40",
            modified: "2016-04-29 08:03:38", address: "123 Some St., Somecity, Somestate, 12345", isShipped: true,
            status: "paid", note: "a note")
    }

    /// An order of one printed part with standard shipping, shaped like the documentation's
    /// example: two charges, and the shipping as the fees.
    static func printedPart(
        id: String, thingID: Int, prices: (total: String, item: String, shipping: String), added: String, modified: String,
        address: String, isShipped: Bool, status: String, note: String
    ) -> SimulatedOrder {
        SimulatedOrder(
            id: id, thingID: String(thingID), amount: prices.total, addDate: added, modifiedDate: modified,
            charges: [
                SimulatedCharge(id: "\(id)1", type: "item", amount: prices.item, description: "Printed part"),
                SimulatedCharge(id: "\(id)2", type: "shipping", amount: prices.shipping, description: "Standard shipping"),
            ],
            fees: prices.shipping, validatedShippingAddress: address, isShipped: isShipped, status: status, note: note)
    }

    /// The documented JSON object, all values strings, keys in the documented order.
    var json: JSONValue {
        .object([
            ("id", .string(id)),
            ("thing_id", .string(thingID)),
            ("amount", .string(amount)),
            ("add_date", .string(addDate)),
            ("modified_date", .string(modifiedDate)),
            ("charges", .array(charges.map(\.json))),
            ("fees", .string(fees)),
            ("validated_shipping_address", .string(validatedShippingAddress)),
            ("is_shipped", .string(isShipped ? "true" : "false")),
            ("status", .string(status)),
            ("note", .string(note)),
        ])
    }
}

/// One line of an order's `charges` array. The documentation does not show its shape; the
/// simulator uses string fields like the rest of the order.
public struct SimulatedCharge: Sendable, Equatable {
    public var id: String
    /// e.g. `item`, `shipping`.
    public var type: String
    /// Decimal string, e.g. `"13.99"`.
    public var amount: String
    public var description: String

    var json: JSONValue {
        .object([
            ("id", .string(id)),
            ("type", .string(type)),
            ("amount", .string(amount)),
            ("description", .string(description)),
        ])
    }
}
