import HTTPTypes

/// A failed API request: the status and the `{"error", "message"}` body it is answered with.
struct APIError: Error, Sendable {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    /// Extra body members, e.g. `errors` for a failed publish.
    var extra: [(String, JSONValue)] = []

    static func notFound(_ message: String) -> APIError {
        APIError(status: .notFound, code: "not_found", message: message)
    }

    static func forbidden(_ message: String) -> APIError {
        APIError(status: .forbidden, code: "forbidden", message: message)
    }

    static func badRequest(_ message: String, code: String = "bad_request") -> APIError {
        APIError(status: .badRequest, code: code, message: message)
    }

    var json: JSONValue {
        .object([("error", .string(code)), ("message", .string(message))] + extra)
    }
}
