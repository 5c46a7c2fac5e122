import Foundation

/// One API request as handed to a route's handler: path captures, parameters and who acts.
struct UserEchoAPICall: Sendable {
    /// Path captures (decoded), e.g. `["forum": "1"]` for `forums/:forum/topics`.
    var captures: [String: String]
    /// Query and body parameters together.
    var fields: UserEchoFields
    var input: RequestInput
    /// The person the request acts as: the `sso_token`'s, `user_sso_guid`'s or `user_id`'s
    /// user, else the API key's own user.
    var actor: UserEchoUser
    /// When the request arrived, in UserEcho's format.
    var now: String

    /// The integer captured as `name`; 404 `what` when it is not one.
    func id(_ name: String, _ what: String) throws(UserEchoAPIError) -> Int {
        guard let id = Int(captures[name] ?? "") else { throw .notFound("\(what) not found.") }
        return id
    }

    /// The `id` parameter (or its `alias`, e.g. `forum_id`) that names what to change; 400 without one.
    func requiredID(alias: String? = nil) throws(UserEchoAPIError) -> Int {
        guard let id = try fields.int(["id"] + (alias.map { [$0] } ?? [])) else { throw .badRequest("id is required.") }
        return id
    }

    /// `value`, or 404 "`what` not found." when there is none.
    func found<Value>(_ value: Value?, _ what: String) throws(UserEchoAPIError) -> Value {
        guard let value else { throw .notFound("\(what) not found.") }
        return value
    }

    /// `objects` narrowed and paged as the request's `filter__...`, `page` and `limit` ask.
    func listed(_ objects: [JSONValue]) throws(UserEchoAPIError) -> JSONValue {
        .array(try UserEchoListQuery(input.queryParameters).apply(objects))
    }

    /// 403 unless the acting user is an admin (the API key's own user is one).
    func requireAdmin(_ action: String) throws(UserEchoAPIError) {
        guard actor.isAdmin else {
            throw .forbidden("You are not allowed to \(action); it needs an admin (or no sso_token).")
        }
    }

    /// 403 with `message` unless the acting user is `ownerID` (and not the anonymous visitor) or
    /// an admin.
    func requireOwnerOrAdmin(_ ownerID: Int, _ message: String) throws(UserEchoAPIError) {
        guard actor.isAdmin || (actor.id == ownerID && ownerID != UserEchoUser.anonymousID) else { throw .forbidden(message) }
    }
}

extension UserEchoUser {
    /// The id of the anonymous user (`user_id=0`).
    static let anonymousID = 0

    /// Who acts for `user_id=0`: UserEcho's anonymous visitor.
    static let anonymous = UserEchoUser(
        id: anonymousID, guid: nil, name: "Anonymous", email: nil, created: "2014-03-03T09:12:44.118Z")
}

/// A request's parameters: the query, overridden by a form or JSON object body, with typed
/// access that answers 400 naming the parameter when its value does not fit.
struct UserEchoFields: Sendable {
    var members: [String: JSONValue]

    /// - Throws: 400 when the body claims to be JSON but is not a JSON object.
    init(input: RequestInput) throws(UserEchoAPIError) {
        var members = input.queryParameters.mapValues { JSONValue.string($0) }
        guard let body = Self.bodyMembers(input) else {
            throw .badRequest("The body must be a JSON object or a form.")
        }
        members.merge(body) { _, fromBody in fromBody }
        self.members = members
    }

    /// A form or JSON object body's members; `[:]` for an empty or other (e.g. multipart) body;
    /// `nil` for a body labelled JSON that is no JSON object.
    static func bodyMembers(_ input: RequestInput) -> [String: JSONValue]? {
        if input.bodyIsBlank {
            return [:]
        }
        if input.isForm {
            return input.formMembers
        }
        if input.isJSON || input.contentType.isEmpty {
            return input.jsonObjectMembers ?? (input.isJSON ? nil : input.formMembers)
        }
        return [:]
    }

    /// A text parameter (numbers are accepted and written as text); empty text counts as absent.
    func string(_ name: String) throws(UserEchoAPIError) -> String? {
        switch members[name] {
        case nil, .null?: return nil
        case let value?:
            guard let text = Self.scalarText(value) else { throw .badRequest("\(name) must be text.") }
            return text.isEmpty ? nil : text
        }
    }

    /// A text parameter that must be there.
    func requiredString(_ name: String) throws(UserEchoAPIError) -> String {
        guard let value = try string(name), value.contains(where: { !$0.isWhitespace }) else {
            throw .badRequest("\(name) is required.")
        }
        return value
    }

    /// An integer parameter (JSON number or decimal text): the first of `names` that is present.
    func int(_ names: String...) throws(UserEchoAPIError) -> Int? { try int(names) }

    func int(_ names: [String]) throws(UserEchoAPIError) -> Int? {
        for name in names {
            switch members[name] {
            case nil, .null?: continue
            case .integer(let value)?: return value
            case .string(let value)? where value.isEmpty: continue
            case .string(let value)?:
                guard let number = Int(value.trimmingCharacters(in: .whitespaces)) else { throw .badRequest("\(name) must be an integer.") }
                return number
            default: throw .badRequest("\(name) must be an integer.")
            }
        }
        return nil
    }

    func bool(_ name: String) throws(UserEchoAPIError) -> Bool? {
        switch members[name] {
        case nil, .null?: return nil
        case .bool(let value)?: return value
        case .integer(let value)? where value == 0 || value == 1: return value == 1
        case .string(let value)? where ["true", "1", "yes"].contains(value.lowercased()): return true
        case .string(let value)? where ["false", "0", "no", ""].contains(value.lowercased()): return false
        default: throw .badRequest("\(name) must be true or false.")
        }
    }

    /// A list of texts: a JSON array, or a comma-separated text.
    func strings(_ name: String) throws(UserEchoAPIError) -> [String]? {
        switch members[name] {
        case nil, .null?: return nil
        case .string(let value)?:
            return value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        case .integer(let value)?: return [String(value)]
        case .array(let elements)? where elements.allSatisfy({ Self.scalarText($0) != nil }):
            return elements.compactMap(Self.scalarText)
        default: throw .badRequest("\(name) must be a list of texts.")
        }
    }

    /// A text, or an integer written as text; `nil` for other values.
    private static func scalarText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): return text
        case .integer(let number): return String(number)
        default: return nil
        }
    }

    /// Every parameter as text, for `UserEchoRequestRecord`.
    static func texts(_ members: [String: JSONValue]) -> [String: String] {
        members.mapValues { value in
            switch value {
            case .string(let text): return text
            case .null: return ""
            default: return value.text
            }
        }
    }
}
