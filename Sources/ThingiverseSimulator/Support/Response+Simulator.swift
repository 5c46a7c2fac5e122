import HTTPTypes
import Hummingbird
import NIOCore

extension Response {
    /// A JSON reply.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.bytes)))
    }

    /// A JSON error in the API's shape: `{"error": "short_code", "message": "..."}`.
    static func jsonError(
        _ status: HTTPResponse.Status, code: String, message: String, headers: HTTPFields = [:]
    ) -> Response {
        .json(.object([("error", .string(code)), ("message", .string(message))]), status: status, headers: headers)
    }

    /// An HTML page that must not be cached (authorization screens, errors).
    static func html(_ text: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "text/html; charset=utf-8"
        fields[.cacheControl] = "no-store"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// A form-encoded reply, as `/login/oauth/access_token` gives; `asHTML` labels it the way
    /// a PHP site does by default.
    static func form(_ pairs: [(String, String)], status: HTTPResponse.Status = .ok, asHTML: Bool = false) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = asHTML ? "text/html; charset=UTF-8" : "application/x-www-form-urlencoded"
        fields[.cacheControl] = "no-store"
        return Response(
            status: status, headers: fields,
            body: ResponseBody(byteBuffer: ByteBuffer(string: FormEncoding.encode(pairs))))
    }

    /// Bytes that may be cached for a day, as a CDN serves pictures and uploaded files.
    static func cachedBytes(_ bytes: [UInt8], contentType: String) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = contentType
        fields[.cacheControl] = "public, max-age=86400"
        return Response(status: .ok, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A generated placeholder picture (avatars, thing images), cached for a day.
    static func placeholderImage(name: String, size: PlaceholderImage.Size) -> Response {
        .cachedBytes(PlaceholderImage.png(name: name, size: size), contentType: "image/png")
    }

    /// A 302 to `location`.
    static func found(_ location: String) -> Response {
        var fields = HTTPFields()
        fields[.location] = location
        fields[.cacheControl] = "no-store"
        return Response(status: .found, headers: fields)
    }
}
