import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1

/// One bounded request to Thingiverse: sends it, collects a limited body, and classifies
/// transport failures as ``UpstreamError``s. Never follows redirects (the client refuses them).
struct UpstreamCall: Sendable {
    let client: HTTPClient
    /// Bounds the wait for the response head; the body is bounded by the client's read timeout.
    let timeout: TimeAmount

    struct Reply: Sendable {
        let status: Int
        let headers: HTTPHeaders
        let body: ByteBuffer

        var contentType: String { headers.first(name: "content-type")?.lowercased() ?? "" }

        /// An HTML page (a CDN challenge, an error page) rather than an API answer.
        var isHTML: Bool {
            if contentType.contains("text/html") { return true }
            let start = body.getString(at: body.readerIndex, length: min(body.readableBytes, 64))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            return start.hasPrefix("<")
        }
    }

    func send(_ request: HTTPClientRequest, bodyLimit: Int = 1024 * 1024) async throws -> Reply {
        do {
            let response = try await client.execute(request, timeout: timeout)
            let body = try await response.body.collect(upTo: bodyLimit)
            return Reply(status: Int(response.status.code), headers: response.headers, body: body)
        } catch is NIOTooManyBytesError {
            throw UpstreamError.badReply("the answer was too large")
        } catch {
            throw UpstreamError(transportError: error)
        }
    }
}

/// `application/x-www-form-urlencoded` encoding and decoding, as the OAuth endpoints use.
enum FormEncoding {
    static func encode(_ fields: [(String, String)]) -> String {
        fields.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }

    static func decode(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = unescape(String(parts[0]))
            let value = parts.count > 1 ? unescape(String(parts[1])) : ""
            fields[key] = value
        }
        return fields
    }

    private static let allowed: CharacterSet = {
        var set = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        set.insert(charactersIn: "-._~")
        return set
    }()

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? text
    }
}
