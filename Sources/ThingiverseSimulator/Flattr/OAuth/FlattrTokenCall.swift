import Foundation
import HTTPTypes

/// What one call to `/oauth/token` carried, read once: the HTTP Basic client credentials and
/// the body's parameters (form or JSON), plus the raw text to search for a leaked secret.
struct FlattrTokenCall: Sendable {
    /// The client credentials of an `Authorization: Basic` header.
    var basic: BasicCredentials?
    /// The body's parameters, or `nil` when the body is neither a form nor a JSON object.
    var body: [String: String]?
    /// The sorted names of the body's parameters.
    var bodyFieldNames: [String]
    private var rawTexts: [String]

    init(input: RequestInput, authorization: String?) {
        self.basic = BasicCredentials(header: authorization)
        let text = String(decoding: input.body, as: UTF8.self)
        let looksLikeJSON = input.isJSON || (input.contentType.isEmpty && text.first { $0 != " " } == "{")
        if input.body.isEmpty {
            self.body = [:]
        } else if looksLikeJSON {
            self.body = input.jsonObjectMembers?.mapValues { $0.stringValue ?? $0.text }
        } else {
            self.body = FormEncoding.dictionary(text)
        }
        self.bodyFieldNames = (body.map { Array($0.keys) } ?? []).sorted()
        let query = input.query ?? ""
        self.rawTexts = [text, query, FormEncoding.decodeComponent(text), FormEncoding.decodeComponent(query)]
    }

    /// Whether any of `secrets` appears in the raw body or query, as it is or percent-decoded.
    func containsAny(of secrets: [String]) -> Bool {
        secrets.contains { secret in
            !secret.isEmpty && rawTexts.contains { $0.contains(secret) }
        }
    }
}

/// Why the token endpoint refused a call: RFC 6749's error code and a message.
struct FlattrTokenError: Error, Equatable {
    var code: String
    var message: String

    static func invalidClient(_ message: String) -> Self { Self(code: "invalid_client", message: message) }
    static func invalidRequest(_ message: String) -> Self { Self(code: "invalid_request", message: message) }
    static func invalidGrant(_ message: String) -> Self { Self(code: "invalid_grant", message: message) }
    static func unsupportedGrantType(_ message: String) -> Self { Self(code: "unsupported_grant_type", message: message) }

    /// 401 for a client that failed to authenticate, 400 for anything else.
    var status: HTTPResponse.Status { code == "invalid_client" ? .unauthorized : .badRequest }
}
