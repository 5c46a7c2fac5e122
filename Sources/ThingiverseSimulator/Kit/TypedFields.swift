/// An API error that can say a request field has the wrong type (400, naming the field), in the
/// provider's own shape.
protocol FieldTypeError: Error {
    static func invalidField(_ message: String) -> Self
    /// How the provider names a list of strings in that message, e.g. "an array of strings".
    static var listOfStrings: String { get }
}

/// A request's fields (a JSON object's members, or a form's), read with the type a handler
/// expects; a value of another type is the provider's 400 naming the field.
struct TypedFields<Failure: FieldTypeError>: Sendable {
    var members: [String: JSONValue]

    func string(_ name: String) throws(Failure) -> String? {
        switch members[name] {
        case nil, .null?: return nil
        case .string(let value)?: return value
        default: throw .invalidField("\(name) must be a string.")
        }
    }

    /// `true`/`false`, `1`/`0`, or their text (empty text is false).
    func bool(_ name: String) throws(Failure) -> Bool? {
        switch members[name] {
        case nil, .null?: return nil
        case .bool(let value)?: return value
        case .integer(let value)? where value == 0 || value == 1: return value == 1
        case .string(let value)? where ["true", "1"].contains(value.lowercased()): return true
        case .string(let value)? where ["false", "0", ""].contains(value.lowercased()): return false
        default: throw .invalidField("\(name) must be true or false.")
        }
    }

    /// An array of strings; a form (or a JSON string) may send a comma-separated list instead.
    func strings(_ name: String) throws(Failure) -> [String]? {
        switch members[name] {
        case nil, .null?: return nil
        case .string(let value)?:
            return value.split(separator: ",").map { $0.trimmingSpaces }.filter { !$0.isEmpty }
        case .array(let elements)?:
            return try elements.map { element throws(Failure) in
                guard case .string(let value) = element else { throw .invalidField("\(name) must be \(Failure.listOfStrings).") }
                return value
            }
        default: throw .invalidField("\(name) must be \(Failure.listOfStrings).")
        }
    }
}
