import Foundation
import HTTPTypes

/// The Thingiverse REST endpoints the proxy forwards, as data: one line per endpoint of the
/// reference (`shared/reference/thingiverse-rest-api-reference.txt`), with endpoints whose last
/// parameter is optional listed once with it and once without. Nothing else is forwarded.
///
/// Parameters named `username`, `term`, `category_slug` and `tag` are text; every other
/// parameter (`id`, `thing_id`, ...) is a number, as the reference says.
public struct EndpointAllowList: Sendable {
    /// `METHOD /path/{param}` lines.
    public static let thingiverseREST: [String] = [
        "GET /users/{username}",
        "PATCH /users/{username}",
        "GET /users/{username}/things",
        "GET /users/{username}/likes",
        "GET /users/{username}/copies",
        "GET /users/{username}/collections",
        "GET /users/{username}/downloads",
        "GET /users/{username}/event-count",
        "POST /users/{username}/followers",
        "DELETE /users/{username}/followers",
        "POST /users/{username}/avatar-image",
        "POST /users/{username}/cover-image",
        "GET /things/{id}",
        "GET /things/{id}/images/{image_id}",
        "GET /things/{id}/images",
        "PATCH /things/{id}/images/{image_id}",
        "DELETE /things/{id}/images/{image_id}",
        "GET /things/{id}/files/{file_id}",
        "GET /things/{id}/files",
        "DELETE /things/{id}/files/{file_id}",
        "GET /things/{id}/likes",
        "GET /things/{id}/ancestors",
        "GET /things/{id}/derivatives",
        "GET /things/{id}/tags",
        "GET /things/{id}/categories",
        "PATCH /things/{id}",
        "POST /things",
        "DELETE /things/{id}",
        "POST /things/{id}/files",
        "POST /things/{id}/publish",
        "GET /things/{id}/copies",
        "POST /things/{id}/copies",
        "POST /things/{id}/likes",
        "DELETE /things/{id}/likes",
        "GET /things/{id}/package-url",
        "GET /things/{id}/prints",
        "GET /things/{id}/threaded-comments",
        "GET /things/{id}/comments",
        "POST /things/{id}/comments",
        "GET /files/{id}",
        "POST /files/{id}/finalize",
        "GET /files/{id}/download",
        "GET /copies/{id}",
        "GET /copies",
        "GET /copies/{id}/images",
        "POST /copies/{id}/images",
        "PATCH /copies/{id}/images/{image_id}",
        "DELETE /copies/{id}/images/{image_id}",
        "PATCH /copies/{id}",
        "DELETE /copies/{id}",
        "POST /copies/{id}/likes",
        "DELETE /copies/{id}/likes",
        "GET /copies/{id}/threaded-comments",
        "GET /copies/{id}/comments",
        "POST /copies/{id}/comments",
        "GET /collections/{id}",
        "GET /collections",
        "GET /collections/{id}/things",
        "POST /collections",
        "POST /collections/{collection_id}/thing/{thing_id}",
        "DELETE /collections/{collection_id}/thing/{thing_id}",
        "PATCH /collections/{id}",
        "DELETE /collections/{id}",
        "GET /comments/{id}",
        "POST /comments",
        "POST /comments/{id}/reply",
        "PATCH /comments/{id}",
        "DELETE /comments/{id}",
        "GET /newest",
        "GET /popular",
        "GET /featured",
        "GET /verified",
        "GET /search/{term}",
        "GET /search",
        "GET /search/{term}/library",
        "GET /categories/{category_slug}",
        "GET /categories",
        "GET /categories/{category_slug}/things",
        "GET /tags/{tag}/things",
        "GET /tags/{tag}",
        "GET /tags",
        "GET /groups/{id}",
        "GET /groups",
        "POST /groups",
        "POST /groups/{id}/image",
        "PATCH /groups/{id}",
        "GET /groups/{id}/group-topics",
        "POST /groups/{id}/group-topics",
        "GET /groups/{id}/things",
        "POST /groups/{id}/things/{thing_id}",
        "DELETE /groups/{id}/things/{thing_id}",
        "PATCH /groups/{id}/things/{thing_id}",
        "GET /groups/{id}/members",
        "POST /groups/{group_id}/members",
        "DELETE /groups/{group_id}/members/{user_id}",
        "DELETE /groups/{group_id}/members",
        "GET /group-topics/{id}",
        "PATCH /group-topics/{id}",
        "POST /group-topics/{id}/pin",
        "DELETE /group-topics/{id}/pin",
        "GET /group-topics/{id}/threaded-comments",
        "GET /group-topics/{id}/comments",
        "POST /group-topics/{id}/comments",
        "GET /orders/{id}",
        "GET /orders",
        "PATCH /orders/{id}",
    ]

    struct Template: Sendable {
        let method: HTTPRequest.Method
        let segments: [Segment]
        let text: String
    }

    enum Segment: Sendable, Equatable {
        case literal(String)
        case number
        case text
    }

    private let templates: [Template]

    public init(_ lines: [String] = Self.thingiverseREST) {
        self.templates = lines.map { line in
            let parts = line.split(separator: " ", maxSplits: 1)
            let method = HTTPRequest.Method(String(parts[0]))!
            let segments = parts[1].split(separator: "/").map { part -> Segment in
                guard part.hasPrefix("{") else { return .literal(String(part)) }
                let name = part.dropFirst().dropLast()
                return ["username", "term", "category_slug", "tag"].contains(name) ? .text : .number
            }
            return Template(method: method, segments: segments, text: line)
        }
    }

    /// Why a request path cannot be forwarded.
    public enum Refusal: Error, Equatable {
        /// A segment that no decoding may turn into a path or a host (`..`, encoded slashes, control characters, ...).
        case unsafeSegment
        /// Not an endpoint of the reference.
        case notAnEndpoint
    }

    /// A request that may be forwarded.
    public struct Match: Sendable, Equatable {
        /// The path to request upstream, rebuilt from validated segments.
        public let path: String
        /// The reference line it matched, e.g. `GET /things/{id}` (a bounded metrics label).
        public let endpoint: String
    }

    /// Matches `method` and the raw (percent-encoded) path below `/api` against the reference and
    /// rebuilds the path from validated segments, so it can only name a documented endpoint.
    public func match(method: HTTPRequest.Method, rawPath: Substring) throws(Refusal) -> Match {
        let trailingSlash = rawPath.hasSuffix("/")
        let rawSegments = rawPath.split(separator: "/", omittingEmptySubsequences: false).dropFirst(rawPath.hasPrefix("/") ? 1 : 0)
        var segments: [String] = []
        for (index, raw) in rawSegments.enumerated() {
            if raw.isEmpty {
                // Only one trailing slash is allowed; "//" anywhere else could change the meaning.
                if index == rawSegments.count - 1 && trailingSlash { continue }
                throw .unsafeSegment
            }
            guard let decoded = Self.decode(raw) else { throw .unsafeSegment }
            segments.append(decoded)
        }
        guard !segments.isEmpty else { throw .notAnEndpoint }
        guard let template = templates.first(where: { $0.method == method && Self.matches($0.segments, segments) }) else {
            throw .notAnEndpoint
        }
        let encoded = zip(template.segments, segments).map { segment, value in
            segment == .text ? Self.encode(value) : value
        }
        return Match(path: "/" + encoded.joined(separator: "/") + (trailingSlash ? "/" : ""), endpoint: template.text)
    }

    private static func matches(_ template: [Segment], _ segments: [String]) -> Bool {
        guard template.count == segments.count else { return false }
        for (part, value) in zip(template, segments) {
            switch part {
            case .literal(let literal):
                guard literal == value else { return false }
            case .number:
                guard (1...19).contains(value.utf8.count), value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
            case .text:
                guard (1...256).contains(value.unicodeScalars.count) else { return false }
            }
        }
        return true
    }

    /// Percent-decodes one segment, refusing anything that could leave the segment or the host.
    static func decode(_ raw: Substring) -> String? {
        guard let decoded = String(raw).removingPercentEncoding else { return nil }
        if decoded == "." || decoded == ".." { return nil }
        for scalar in decoded.unicodeScalars {
            switch scalar {
            // "@", "?" and "#" are harmless: text segments are re-encoded before they go upstream.
            case "/", "\\", "%": return nil
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { return nil }
            }
        }
        return decoded
    }

    /// Percent-encodes everything but unreserved characters, for text segments sent upstream.
    static func encode(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                encoded.append(Character(Unicode.Scalar(byte)))
            default:
                encoded += String(format: "%%%02X", byte)
            }
        }
        return encoded
    }
}
