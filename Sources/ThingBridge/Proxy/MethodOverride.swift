import NIOCore
import NIOHTTP1

/// `_method=patch` added to the body of a `POST` that stands in for a `PATCH` (Flattr's
/// documented workaround), in the body's own format: a form field, a JSON member, or a form of
/// its own. The proxy puts it in the query as well, for bodies of any other kind.
enum MethodOverride {
    static func patch(_ body: ByteBuffer?, contentType: String?, headers: inout HTTPHeaders) -> ByteBuffer {
        let type = contentType?.lowercased() ?? ""
        guard var body, body.readableBytes > 0 else {
            headers.replaceOrAdd(name: "Content-Type", value: "application/x-www-form-urlencoded")
            return ByteBuffer(string: "_method=patch")
        }
        if type.hasPrefix("application/json"), let text = body.readString(length: body.readableBytes) {
            let trimmed = text.drop { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }
            if trimmed.hasPrefix("{") {
                let rest = trimmed.dropFirst().drop { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }
                let separator = rest.hasPrefix("}") ? "" : ","
                return ByteBuffer(string: #"{"_method":"patch""# + separator + rest)
            }
            return ByteBuffer(string: text)
        }
        if type.hasPrefix("application/x-www-form-urlencoded") {
            var form = body
            form.writeString("&_method=patch")
            return form
        }
        return body
    }
}
