import HTTPTypes

/// A failed Flattr API request: the status and the
/// `{"error", "error_description", "error_uri"}` body it is answered with.
struct FlattrAPIError: Error, Sendable {
    var status: HTTPResponse.Status
    var code: String
    var description: String
    /// Headers the error adds, e.g. `Allow` on a 405.
    var headers: HTTPFields = [:]

    /// Where Flattr's error bodies point.
    static let errorURI = "http://developers.flattr.net/api"

    static func notFound(_ description: String) -> FlattrAPIError {
        FlattrAPIError(status: .notFound, code: "not_found", description: description)
    }

    static func forbidden(_ description: String) -> FlattrAPIError {
        FlattrAPIError(status: .forbidden, code: "forbidden", description: description)
    }

    /// 400 `validation`: "The information you submitted did not validate".
    static func validation(_ description: String) -> FlattrAPIError {
        FlattrAPIError(status: .badRequest, code: "validation", description: description)
    }

    static func unauthorized(_ description: String) -> FlattrAPIError {
        FlattrAPIError(
            status: .unauthorized, code: "unauthorized", description: description, headers: [.wwwAuthenticate: "Bearer realm=\"flattr\""])
    }

    static let missingToken = unauthorized("You are unauthorized to access the resource (no token?)")

    var json: JSONValue {
        .object([
            ("error", .string(code)),
            ("error_description", .string(description)),
            ("error_uri", .string(Self.errorURI)),
        ])
    }
}
