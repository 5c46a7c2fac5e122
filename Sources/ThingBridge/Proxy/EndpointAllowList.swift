import Foundation
import HTTPTypes

/// The endpoints of one provider that the proxy forwards, as data: `METHOD /path/{param}`
/// lines (each provider lists its own: ``thingiverseREST``, ``flattrREST``). Nothing else is
/// forwarded, and the path sent upstream is rebuilt from validated segments.
///
/// A parameter is a number unless the provider names it as text (`{username}`); `{ids}` is a
/// comma-separated list of numbers (Flattr's `GET /things/:id,:id`).
public struct EndpointAllowList: Sendable {

    struct Template: Sendable {
        let method: HTTPRequest.Method
        let segments: [Segment]
        let text: String
    }

    enum Segment: Sendable, Equatable {
        case literal(String)
        case number
        case text
        case numberList
    }

    private let templates: [Template]
    /// Template indexes (in list order) by method and segment count: a request is compared with
    /// the few templates of its shape, not with the whole list.
    private let templatesByShape: [Shape: [Int]]

    private struct Shape: Hashable {
        let method: String
        let segmentCount: Int
    }

    /// - Parameters:
    ///   - lines: `METHOD /path/{param}`, one per endpoint; the first match wins.
    ///   - textParameters: the parameter names whose values are text rather than numbers.
    public init(_ lines: [String], textParameters: Set<String>) {
        let templates = lines.map { line in
            let parts = line.split(separator: " ", maxSplits: 1)
            let method = HTTPRequest.Method(String(parts[0]))!
            let segments = parts[1].split(separator: "/").map { part -> Segment in
                guard part.hasPrefix("{") else { return .literal(String(part)) }
                let name = part.dropFirst().dropLast()
                if name == "ids" { return .numberList }
                return textParameters.contains(String(name)) ? .text : .number
            }
            return Template(method: method, segments: segments, text: line)
        }
        self.templates = templates
        self.templatesByShape = Dictionary(grouping: templates.indices) { index in
            Shape(method: templates[index].method.rawValue, segmentCount: templates[index].segments.count)
        }
    }

    /// The methods of the listed endpoints.
    public var methods: Set<HTTPRequest.Method> { Set(templates.map(\.method)) }

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
        // Bytes throughout: `Character`-based splitting and prefix tests cost more than the match.
        let bytes = rawPath.utf8
        let trailingSlash = bytes.last == UInt8(ascii: "/")
        let rawSegments = bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            .dropFirst(bytes.first == UInt8(ascii: "/") ? 1 : 0)
        var segments: [String] = []
        segments.reserveCapacity(rawSegments.count)
        for (index, raw) in rawSegments.enumerated() {
            if raw.isEmpty {
                // Only one trailing slash is allowed; "//" anywhere else could change the meaning.
                if index == rawSegments.count - 1 && trailingSlash { continue }
                throw .unsafeSegment
            }
            guard let decoded = Self.decode(Substring(raw)) else { throw .unsafeSegment }
            segments.append(decoded)
        }
        guard !segments.isEmpty else { throw .notAnEndpoint }
        let candidates = templatesByShape[Shape(method: method.rawValue, segmentCount: segments.count)] ?? []
        guard let index = candidates.first(where: { Self.matches(templates[$0].segments, segments) }) else {
            throw .notAnEndpoint
        }
        let template = templates[index]
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
                guard isNumber(value[...]) else { return false }
            case .numberList:
                let ids = value.split(separator: ",", omittingEmptySubsequences: false)
                guard (1...50).contains(ids.count), ids.allSatisfy(isNumber) else { return false }
            case .text:
                guard (1...256).contains(value.unicodeScalars.count) else { return false }
            }
        }
        return true
    }

    private static func isNumber(_ value: Substring) -> Bool {
        (1...19).contains(value.utf8.count) && value.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// Percent-decodes one segment, refusing anything that could leave the segment or the host.
    static func decode(_ raw: Substring) -> String? {
        // Most segments (numbers, names) have nothing to decode: no Foundation on the hot path.
        let decoded: String
        if raw.utf8.contains(UInt8(ascii: "%")) {
            guard let text = String(raw).removingPercentEncoding else { return nil }
            decoded = text
        } else {
            decoded = String(raw)
        }
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
