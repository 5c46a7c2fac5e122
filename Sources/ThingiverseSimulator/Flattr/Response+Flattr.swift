import HTTPTypes
import Hummingbird
import NIOCore

extension Response {
    /// The exact content type of Flattr's JSON answers (no space before `charset`).
    static let flattrJSONType = "application/json;charset=utf-8"

    /// A JSON reply with the content type Flattr sends, `application/json;charset=utf-8`.
    static func flattrJSON(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = flattrJSONType
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.bytes)))
    }
}
