import NIOCore
import NIOHTTP1

/// The parameters of a form or JSON request body, as the proxy reads and extends them:
/// Flattr's `_method=patch` and UserEcho's `sso_token` are body parameters.
enum BodyParameters {
    enum Format {
        case form
        case json
        case other
    }

    static func format(_ contentType: String?) -> Format {
        let type = contentType?.lowercased() ?? ""
        if type.hasPrefix("application/x-www-form-urlencoded") { return .form }
        if type.hasPrefix("application/json") { return .json }
        return .other
    }

    /// The top-level parameter names of `body` (form fields or JSON object members); nil when
    /// the body is neither a form nor a JSON object.
    static func names(in body: ByteBuffer?, contentType: String?) -> Set<String>? {
        guard let body, body.readableBytes > 0 else { return [] }
        switch format(contentType) {
        case .form:
            return Set(FormEncoding.decode(String(buffer: body)).keys.map { $0.lowercased() })
        case .json:
            guard case .object(let members)? = try? JSONParser.parse(body.readableBytesView) else { return nil }
            return Set(members.keys.map { $0.lowercased() })
        case .other:
            return nil
        }
    }

    /// `body` with `name=value` added in its own format: a form field, a JSON object member, or
    /// (for an empty body) a form of its own, whose content type is then set in `headers`.
    /// Other bodies are returned unchanged.
    static func adding(_ name: String, _ value: String, to body: ByteBuffer?, contentType: String?, headers: inout HTTPHeaders) -> ByteBuffer {
        let field = FormEncoding.escape(name) + "=" + FormEncoding.escape(value)
        guard let body, body.readableBytes > 0 else {
            headers.replaceOrAdd(name: "Content-Type", value: "application/x-www-form-urlencoded")
            return ByteBuffer(string: field)
        }
        switch format(contentType) {
        case .form:
            var form = body
            form.writeString("&" + field)
            return form
        case .json:
            let text = String(buffer: body)
            let trimmed = text.drop { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }
            guard trimmed.hasPrefix("{") else { return body }
            let rest = trimmed.dropFirst().drop { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }
            var member = ""
            JSONValue.writeString(name, to: &member)
            member += ":"
            JSONValue.writeString(value, to: &member)
            return ByteBuffer(string: "{" + member + (rest.hasPrefix("}") ? "" : ",") + rest)
        case .other:
            return body
        }
    }
}
