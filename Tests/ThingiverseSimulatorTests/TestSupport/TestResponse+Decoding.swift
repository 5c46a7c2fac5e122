import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

extension TestResponse {
    /// The body as UTF-8 text.
    var text: String { String(buffer: body) }

    /// The body's bytes.
    var bytes: [UInt8] { Array(body.readableBytesView) }

    /// The body as a JSON object (fails the test if it is not one).
    func jsonObject(sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        return try #require(value as? [String: Any], "expected a JSON object, got \(text)", sourceLocation: sourceLocation)
    }

    /// The body as a JSON array of objects (fails the test if it is not one).
    func jsonArray(sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
        let value = try JSONSerialization.jsonObject(with: Data(bytes), options: [])
        return try #require(value as? [[String: Any]], "expected a JSON array, got \(text)", sourceLocation: sourceLocation)
    }

    /// A header by name.
    func header(_ name: String) -> String? {
        headers[HTTPField.Name(name)!]
    }
}

/// Decoded `a=1&b=2` (form bodies, queries, fragments).
func formFields(_ text: String) -> [String: String] {
    var result: [String: String] = [:]
    for pair in text.split(separator: "&") {
        let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let decode = { (part: Substring) in
            (String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(part))
        }
        result[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
    }
    return result
}

extension TestClientProtocol {
    /// GETs `uri` (with `headers`) and expects `200 OK`.
    func getOK(_ uri: String, headers: HTTPFields = [:], sourceLocation: SourceLocation = #_sourceLocation) async throws -> TestResponse {
        let response = try await execute(uri: uri, method: .get, headers: headers)
        #expect(response.status == .ok, "GET \(uri) answered \(response.status): \(response.text)", sourceLocation: sourceLocation)
        return response
    }

    /// Posts `fields` to `uri` as a form, with any further `headers`.
    func postForm(_ uri: String, _ fields: [(String, String)], headers: HTTPFields = [:]) async throws -> TestResponse {
        let form = formRequest(fields)
        return try await execute(uri: uri, method: .post, headers: form.headers + headers, body: form.body)
    }
}

/// A form body with the matching content type.
func formRequest(_ fields: [(String, String)]) -> (headers: HTTPFields, body: ByteBuffer) {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    let text = fields.map {
        "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)"
    }.joined(separator: "&")
    return ([.contentType: "application/x-www-form-urlencoded"], ByteBuffer(string: text))
}

extension TestResponse {
    /// Where this `302 Found` points, split into its parts (fails the test unless it is one, or
    /// unless it goes to `base` when one is given).
    func foundRedirect(to base: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> Redirect {
        #expect(status == .found, sourceLocation: sourceLocation)
        let redirect = Redirect(try #require(headers[.location], sourceLocation: sourceLocation))
        if let base {
            #expect(redirect.base == base, sourceLocation: sourceLocation)
        }
        return redirect
    }

    /// Checks that this is a `400 Bad Request` that sends the browser nowhere.
    func expectRefusedWithoutRedirect(sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(status == .badRequest, sourceLocation: sourceLocation)
        #expect(headers[.location] == nil, sourceLocation: sourceLocation)
    }
}

/// Splits a redirect target into its parts.
struct Redirect {
    var base: String
    var query: [String: String]
    var fragment: [String: String]

    init(_ location: String) {
        var rest = location
        var fragmentText = ""
        if let hash = rest.firstIndex(of: "#") {
            fragmentText = String(rest[rest.index(after: hash)...])
            rest = String(rest[..<hash])
        }
        var queryText = ""
        if let mark = rest.firstIndex(of: "?") {
            queryText = String(rest[rest.index(after: mark)...])
            rest = String(rest[..<mark])
        }
        self.base = rest
        self.query = formFields(queryText)
        self.fragment = formFields(fragmentText)
    }
}
