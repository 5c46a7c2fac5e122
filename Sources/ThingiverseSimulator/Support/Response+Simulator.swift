import HTTPTypes
import Hummingbird
import NIOCore

extension Response {
    /// A JSON reply; `contentType` is for a provider that spells it its own way (Flattr).
    static func json(
        _ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:],
        contentType: String = "application/json; charset=utf-8"
    ) -> Response {
        .body(ByteBuffer(bytes: value.bytes), contentType: contentType, cacheControl: nil, status: status, headers: headers)
    }

    /// A JSON error in the API's shape: `{"error": "short_code", "message": "..."}`.
    static func jsonError(
        _ status: HTTPResponse.Status, code: String, message: String, headers: HTTPFields = [:]
    ) -> Response {
        .json(.object([("error", .string(code)), ("message", .string(message))]), status: status, headers: headers)
    }

    /// An HTML page that must not be cached (authorization screens, errors).
    static func html(_ text: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        .body(ByteBuffer(string: text), contentType: "text/html; charset=utf-8", cacheControl: "no-store", status: status, headers: headers)
    }

    /// A form-encoded reply, as `/login/oauth/access_token` gives; `asHTML` labels it the way
    /// a PHP site does by default.
    static func form(_ pairs: [(String, String)], status: HTTPResponse.Status = .ok, asHTML: Bool = false) -> Response {
        .body(
            ByteBuffer(string: FormEncoding.encode(pairs)),
            contentType: asHTML ? "text/html; charset=UTF-8" : "application/x-www-form-urlencoded", cacheControl: "no-store", status: status)
    }

    /// Bytes that may be cached for a day, as a CDN serves pictures and uploaded files.
    static func cachedBytes(_ bytes: [UInt8], contentType: String) -> Response {
        .body(ByteBuffer(bytes: bytes), contentType: contentType, cacheControl: "public, max-age=86400")
    }

    /// A generated placeholder picture (avatars, thing images), cached for a day.
    static func placeholderImage(name: String, size: PlaceholderImage.Size) -> Response {
        .cachedBytes(PlaceholderImage.png(name: name, size: size), contentType: "image/png")
    }

    /// A 302 to `location`.
    static func found(_ location: String) -> Response {
        Response(status: .found, headers: [.location: location, .cacheControl: "no-store"])
    }

    /// A reply with these bytes and content type, and a `Cache-Control` when one is given.
    private static func body(
        _ body: ByteBuffer, contentType: String, cacheControl: String?, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]
    ) -> Response {
        var fields = headers
        fields[.contentType] = contentType
        if let cacheControl {
            fields[.cacheControl] = cacheControl
        }
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: body))
    }
}
