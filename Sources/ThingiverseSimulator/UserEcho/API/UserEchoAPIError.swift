import HTTPTypes

/// A failed UserEcho API request: the status and the `{"status":"error","message":...}` reply.
struct UserEchoAPIError: Error, Sendable {
    var status: HTTPResponse.Status
    var message: String
    /// Headers the error adds, e.g. `Allow` on a 405 or `Retry-After` on a 429.
    var headers: HTTPFields = [:]

    static func badRequest(_ message: String) -> Self { Self(status: .badRequest, message: message) }
    static func unauthorized(_ message: String) -> Self { Self(status: .unauthorized, message: message) }
    static func forbidden(_ message: String) -> Self { Self(status: .forbidden, message: message) }
    static func notFound(_ message: String) -> Self { Self(status: .notFound, message: message) }

    /// What every refused `sso_token` gets, whatever was wrong with it.
    static let invalidSSOToken = unauthorized("Invalid sso_token")

    static let missingKey = unauthorized(
        "Authentication required: pass the API key as access_token or in an Authorization: Bearer header.")

    static let wrongKey = unauthorized("Invalid access_token.")

    var json: JSONValue {
        .object([("status", .string("error")), ("message", .string(message))])
    }
}
