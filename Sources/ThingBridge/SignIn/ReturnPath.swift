/// Where to send a person after sign-in: always a path on this site.
///
/// Only a plain same-origin relative path is kept (`/things?page=2`). Anything a browser could
/// read as another origin (`//evil.com`, `/\evil.com`, `https://evil.com`, `http:evil.com`,
/// encoded slashes or backslashes, control characters, dot segments) falls back to `/`.
public struct ReturnPath: Sendable, Equatable {
    public let path: String

    public static let root = ReturnPath(validated: "/")

    private init(validated path: String) {
        self.path = path
    }

    /// Validates `candidate`, falling back to `/`.
    public init(_ candidate: String?) {
        guard let candidate, Self.isSafe(candidate) else {
            self = .root
            return
        }
        self.path = candidate
    }

    private static func isSafe(_ path: String) -> Bool {
        let bytes = Array(path.utf8)
        guard bytes.count <= 2048, bytes.first == UInt8(ascii: "/") else { return false }
        // "//host" and "/\host" are protocol-relative URLs to browsers.
        if bytes.count > 1, bytes[1] == UInt8(ascii: "/") || bytes[1] == UInt8(ascii: "\\") { return false }
        for byte in bytes {
            // Control characters (browsers strip tabs and newlines, turning "/\t/evil.com" into "//evil.com"),
            // backslashes, and anything outside printable ASCII.
            if byte < 0x21 || byte > 0x7E || byte == UInt8(ascii: "\\") { return false }
        }
        let lowered = path.lowercased()
        // Encoded slashes, backslashes, dots and control characters can be decoded into the above.
        for encoded in ["%2f", "%5c", "%2e", "%09", "%0a", "%0d", "%00"] where lowered.contains(encoded) {
            return false
        }
        // The path ends at "?" or "#": "/a/.#b" has a dot segment (found by Benchmarks/fuzz).
        let pathOnly = lowered.prefix { $0 != "?" && $0 != "#" }
        let segments = pathOnly.split(separator: "/", omittingEmptySubsequences: false)
        // Starting with one "/" means no scheme can follow, so only dot segments are left to refuse.
        return !segments.contains { $0 == ".." || $0 == "." }
    }
}
