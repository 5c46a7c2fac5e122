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
    /// (for an empty body) a form of its own, whose content type is then set in `headers`. `nil`
    /// for a body it cannot add to (neither a form nor a JSON object): the caller must not send
    /// the body as if it carried the parameter.
    static func adding(_ name: String, _ value: String, to body: ByteBuffer?, contentType: String?, headers: inout HTTPHeaders) -> ByteBuffer? {
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
            // Bytes, not Characters: JSON's white space is these four bytes, and Swift reads
            // CR LF as one Character that equals neither.
            let bytes = body.readableBytesView
            func isWhiteSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
            guard let open = bytes.firstIndex(where: { !isWhiteSpace($0) }), bytes[open] == UInt8(ascii: "{") else { return nil }
            let rest = bytes[bytes.index(after: open)...].drop(while: isWhiteSpace)
            var member = "{"
            JSONValue.writeString(name, to: &member)
            member += ":"
            JSONValue.writeString(value, to: &member)
            var object = ByteBuffer(string: member + (rest.first == UInt8(ascii: "}") ? "" : ","))
            object.writeBytes(rest)
            return object
        case .other:
            return nil
        }
    }
}
