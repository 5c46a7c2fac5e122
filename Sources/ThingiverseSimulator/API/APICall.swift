import HTTPTypes

/// One authenticated API request, as handed to a route's handler.
struct APICall: Sendable {
    /// Path captures (decoded), e.g. `["id": "4100017"]` for `things/:id`.
    var parameters: [String: String]
    /// Query parameters (decoded).
    var query: [String: String]
    var input: RequestInput
    var token: IssuedToken
    /// Wall-clock seconds since 1970 when the request arrived.
    var now: Int
    /// Where the token's app receives order webhooks, if it set a URL.
    var webhookURL: String? = nil

    var viewerID: Int { token.userID }

    func parameter(_ name: String) -> String { parameters[name] ?? "" }

    /// A numeric id from the path; anything else cannot name a record, so it is a 404.
    func id(_ name: String, what: String) throws(APIError) -> Int {
        guard let value = Int(parameter(name)) else {
            throw .notFound("No \(what) with id \"\(parameter(name))\".")
        }
        return value
    }

    /// The index in `list` of the record whose id the path's `parameter` holds; 404 "No WHAT with
    /// id ID." otherwise.
    func index<Record: Identifiable>(in list: [Record], _ parameter: String = "id", what: String) throws(APIError) -> Int
    where Record.ID == Int {
        let id = try id(parameter, what: what)
        guard let index = list.firstIndex(where: { $0.id == id }) else { throw .notFound("No \(what) with id \(id).") }
        return index
    }

    /// The index in `list` of the record the path's `parameter` names when `allowed` says the
    /// caller may change it; 403 "Only ROLE of WHAT ID can ACTION." otherwise.
    func index<Record: Identifiable>(
        in list: [Record], _ parameter: String = "id", what: String, only role: String, can action: String,
        allowed: (Record) -> Bool
    ) throws(APIError) -> Int where Record.ID == Int {
        let index = try index(in: list, parameter, what: what)
        guard allowed(list[index]) else { throw .forbidden("Only \(role) of \(what) \(list[index].id) can \(action).") }
        return index
    }

    /// The record in `list` whose id the path's `:id` holds; 404 "No WHAT with id ID." otherwise.
    func record<Record: Identifiable>(in list: [Record], what: String) throws(APIError) -> Record where Record.ID == Int {
        list[try index(in: list, what: what)]
    }

    /// The element of `list` (a thing's images or files) whose id the path's `parameter` holds;
    /// 404 "OWNER has no WHAT ID." otherwise.
    func member<Element: Identifiable>(
        of list: [Element], _ parameter: String, what: String, owner: String
    ) throws(APIError) -> Element where Element.ID == Int {
        let id = try id(parameter, what: what)
        guard let element = list.first(where: { $0.id == id }) else { throw .notFound("\(owner) has no \(what) \(id).") }
        return element
    }

    /// The thing, copy or group topic (`kind`) that `:id` names, as what comments are on; 404
    /// naming `what` when it is no id.
    func target(_ kind: (Int) -> CommentTarget, _ what: String) throws(APIError) -> CommentTarget {
        kind(try id("id", what: what))
    }

    /// The request body's fields: a JSON object, or a form.
    func bodyFields() throws(APIError) -> BodyFields {
        if input.isForm {
            return BodyFields(members: input.formMembers)
        }
        if input.bodyIsBlank {
            return BodyFields(members: [:])
        }
        guard let members = input.jsonObjectMembers else {
            throw .badRequest("The body must be a JSON object (or a form).", code: "invalid_json")
        }
        return BodyFields(members: members)
    }
}

/// Typed access to body fields, with a 400 `invalid_field` naming the field when its type is wrong.
typealias BodyFields = TypedFields<APIError>

extension APIError: FieldTypeError {
    static func invalidField(_ message: String) -> APIError { .badRequest(message, code: "invalid_field") }
    static var listOfStrings: String { "an array of strings" }
}

extension TypedFields<APIError> {
    /// A whole number (a JSON number or a numeric string).
    func integer(_ name: String) throws(APIError) -> Int? {
        switch members[name] {
        case nil, .null?: return nil
        case .integer(let value)?: return value
        case .string(let value)? where Int(value.trimmingWhitespace) != nil: return Int(value.trimmingWhitespace)!
        default: throw .badRequest("\(name) must be a whole number.", code: "invalid_field")
        }
    }

    /// A string that may be absent but not blank (400 naming the field), without surrounding whitespace.
    func nonBlankString(_ name: String) throws(APIError) -> String? {
        guard let value = try string(name)?.trimmingWhitespace else { return nil }
        guard !value.isEmpty else { throw .badRequest("\(name) cannot be blank.", code: "invalid_field") }
        return value
    }

    /// A string that must be present and not blank (400 naming the field otherwise).
    func requiredString(_ name: String, what: String) throws(APIError) -> String {
        guard let value = try string(name)?.trimmingWhitespace, !value.isEmpty else {
            throw .badRequest("\(what) needs a \(name).", code: "invalid_field")
        }
        return value
    }

    /// A string that must be one of `allowed` when present (400 listing them otherwise).
    func choice(_ name: String, in allowed: Set<String>, code: String = "invalid_field") throws(APIError) -> String? {
        guard let value = try string(name) else { return nil }
        guard allowed.contains(value) else {
            throw .badRequest("\(name) must be one of \(allowed.sorted().joined(separator: ", ")).", code: code)
        }
        return value
    }

    /// An array of integers (numbers or numeric strings).
    func integers(_ name: String) throws(APIError) -> [Int]? {
        guard let value = members[name], value != .null else { return nil }
        guard case .array(let elements) = value else {
            throw .badRequest("\(name) must be an array of ids.", code: "invalid_field")
        }
        var result: [Int] = []
        for element in elements {
            switch element {
            case .integer(let number): result.append(number)
            case .string(let text) where Int(text) != nil: result.append(Int(text)!)
            default: throw .badRequest("\(name) must be an array of ids.", code: "invalid_field")
            }
        }
        return result
    }
}

/// What a handler produces: one object, a whole list that the dispatcher pages, or a
/// redirect (`GET /files/{id}/download`).
enum APIReply: Sendable {
    case object(JSONValue, status: HTTPResponse.Status = .ok)
    case list([JSONValue])
    case redirect(to: String)

    static let ok = APIReply.object(.object([("ok", .string("ok"))]))
}

extension Substring {
    var trimmingSpaces: String {
        String(self.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
