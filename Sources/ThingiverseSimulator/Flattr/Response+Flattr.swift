import HTTPTypes
import Hummingbird

extension Response {
    /// The exact content type of Flattr's JSON answers (no space before `charset`).
    static let flattrJSONType = "application/json;charset=utf-8"

    /// A JSON reply with the content type Flattr sends, `application/json;charset=utf-8`.
    static func flattrJSON(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        .json(value, status: status, headers: headers, contentType: flattrJSONType)
    }
}
