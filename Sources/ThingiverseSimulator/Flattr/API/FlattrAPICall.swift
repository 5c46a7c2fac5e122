import HTTPTypes

/// One API request as handed to a route's handler: path captures, query, body and the token.
struct FlattrAPICall: Sendable {
    /// Path captures (decoded), e.g. `["id": "423405"]` for `things/:id`.
    var parameters: [String: String]
    /// Query parameters (decoded).
    var query: [String: String]
    var input: RequestInput
    /// The request's token, when it sent a known one.
    var token: FlattrToken?
    /// Wall-clock seconds since 1970 when the request arrived.
    var now: Int

    /// The username of the token's account, for `flattred` and ownership.
    var viewer: String? { token?.username }

    func parameter(_ name: String) -> String { parameters[name] ?? "" }

    /// The token, or 401 for an endpoint marked "Authorization needed".
    func requireToken() throws(FlattrAPIError) -> FlattrToken {
        guard let token else { throw .missingToken }
        return token
    }

    /// The token, which must carry `scope`; 403 otherwise (`refusal` says what was refused).
    func requireToken(scope: String, refusal: String) throws(FlattrAPIError) -> FlattrToken {
        let token = try requireToken()
        guard token.scopes.contains(scope) else {
            throw .forbidden("\(refusal) The token lacks the scope \"\(scope)\".")
        }
        return token
    }

    /// The body's fields: a form, or a JSON object (an empty body has none).
    func bodyFields() throws(FlattrAPIError) -> FlattrFields {
        if let fields = FlattrFields(input: input) { return fields }
        throw .validation("The body must be a JSON object or a form.")
    }

    /// One page of `items`, chosen by the `page` (from 1) and `count` (at most 100, else
    /// `defaultCount`) query parameters; 400 for a value that is no positive integer.
    func page<Item>(of items: [Item], defaultCount: Int) throws(FlattrAPIError) -> (page: Int, items: ArraySlice<Item>) {
        func positive(_ name: String, fallback: Int, maximum: Int) throws(FlattrAPIError) -> Int {
            guard let text = query[name], !text.isEmpty else { return fallback }
            guard let value = Int(text), value >= 1 else { throw .validation("\(name) must be a positive integer.") }
            return min(value, maximum)
        }
        let count = try positive("count", fallback: defaultCount, maximum: 100)
        let page = try positive("page", fallback: 1, maximum: Int.max / 1000)
        return (page, items.dropFirst((page - 1) * count).prefix(count))
    }
}

/// Typed access to body fields, with a 400 `validation` naming the field when its type is wrong.
typealias FlattrFields = TypedFields<FlattrAPIError>

extension FlattrAPIError: FieldTypeError {
    static func invalidField(_ message: String) -> FlattrAPIError { .validation(message) }
    static var listOfStrings: String { "a list of strings" }
}

extension TypedFields<FlattrAPIError> {
    /// Reads a form, a JSON object or an empty body; `nil` for anything else. A body without a
    /// content type is read as JSON when it is JSON, else as a form.
    init?(input: RequestInput) {
        if input.isForm {
            self.members = input.formMembers
        } else if input.bodyIsBlank {
            self.members = [:]
        } else if let members = input.jsonObjectMembers {
            self.members = members
        } else if input.contentType.isEmpty {
            self.members = input.formMembers
        } else {
            return nil
        }
    }

    /// A category name; 400 for one Flattr does not have.
    func category(_ name: String) throws(FlattrAPIError) -> FlattrCategory? {
        guard let text = try string(name) else { return nil }
        guard let category = FlattrCategory(rawValue: text.lowercased()) else {
            throw .validation(
                "Invalid category \"\(text)\"; use one of \(FlattrCategory.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return category
    }
}
