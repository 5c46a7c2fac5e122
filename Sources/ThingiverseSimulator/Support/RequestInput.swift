import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// What the simulator reads from a request: its body bytes and parameters.
struct RequestInput: Sendable {
    /// Largest body the simulator accepts; Thingiverse requests are small.
    static let maximumBodySize = 1 << 20

    var query: String?
    var body: [UInt8]
    var contentType: String

    /// Collects the body (413 if larger than `maximumBodySize` or the context's limit).
    static func read(_ request: Request, context: some RequestContext) async throws -> RequestInput {
        var request = request
        let buffer = try await request.collectBody(upTo: min(context.maxUploadSize, maximumBodySize))
        return RequestInput(
            query: request.uri.query,
            body: Array(buffer.readableBytesView),
            contentType: request.headers[.contentType]?.lowercased() ?? ""
        )
    }

    var isForm: Bool { contentType.hasPrefix("application/x-www-form-urlencoded") }
    var isJSON: Bool { contentType.hasPrefix("application/json") || contentType.contains("+json") }

    /// The query parameters (decoded).
    var queryParameters: [String: String] {
        query.map { FormEncoding.dictionary($0) } ?? [:]
    }

    /// The body parsed as JSON, or `nil` if it is empty or not JSON.
    var jsonBody: JSONValue? {
        guard !body.isEmpty else { return nil }
        return try? JSONDecoder().decode(JSONValue.self, from: Data(body))
    }

    /// Whether the body is empty or only spaces, tabs and line breaks.
    var bodyIsBlank: Bool {
        body.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
    }

    /// The fields of the body read as a form, as JSON strings.
    var formMembers: [String: JSONValue] {
        FormEncoding.dictionary(String(decoding: body, as: UTF8.self)).mapValues { .string($0) }
    }

    /// The members of a JSON object body by name (the last of a repeated name wins); `nil` when
    /// the body is no JSON object.
    var jsonObjectMembers: [String: JSONValue]? {
        guard case .object(let pairs) = jsonBody else { return nil }
        return Dictionary(pairs, uniquingKeysWith: { _, last in last })
    }

    /// OAuth-style parameters: the query string, overridden by a form body or a JSON object body.
    /// A body without a content type is tried as a form.
    var oauthParameters: [String: String] {
        var result = queryParameters
        if isJSON {
            let scalars = (jsonObjectMembers ?? [:]).compactMapValues { value -> String? in
                if case .integer(let number) = value { return String(number) }
                return value.stringValue
            }
            result.merge(scalars) { _, fromBody in fromBody }
        } else if !body.isEmpty {
            result.merge(FormEncoding.dictionary(String(decoding: body, as: UTF8.self))) { _, fromBody in fromBody }
        }
        return result
    }
}
