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
            if case .object(let members) = input.jsonBody {
                var fields: [String: String] = [:]
                for (name, value) in members {
                    switch value {
                    case .string(let string): fields[name] = string
                    case .integer(let number): fields[name] = String(number)
                    default: fields[name] = value.text
                    }
                }
                self.body = fields
            } else {
                self.body = nil
            }
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

/// Why the token endpoint refused a call; each case maps to RFC 6749's error codes.
enum FlattrTokenError: Error, Equatable {
    case invalidClient(String)
    case invalidRequest(String)
    case invalidGrant(String)
    case unsupportedGrantType(String)

    var status: HTTPResponse.Status {
        switch self {
        case .invalidClient: return .unauthorized
        case .invalidRequest, .invalidGrant, .unsupportedGrantType: return .badRequest
        }
    }

    var code: String {
        switch self {
        case .invalidClient: return "invalid_client"
        case .invalidRequest: return "invalid_request"
        case .invalidGrant: return "invalid_grant"
        case .unsupportedGrantType: return "unsupported_grant_type"
        }
    }

    var message: String {
        switch self {
        case .invalidClient(let text), .invalidRequest(let text), .invalidGrant(let text),
            .unsupportedGrantType(let text):
            return text
        }
    }
}
