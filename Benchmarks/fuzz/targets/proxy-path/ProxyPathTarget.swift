import Foundation
import HTTPTypes

/// The proxy's allow-lists and URL rebuild, for the three providers, against any method, path
/// and query. The first byte picks the provider, then fields: method, raw path, raw query.
///
/// What is forwarded is rebuilt as ProxyController does: `apiURL + path (+ suffix) + "?" + query`.
/// Properties, for every request the allow-list accepts:
/// - the URL parses (Foundation's `URLComponents`) with the configured scheme, host and port,
///   no user info, and a path under the configured base path;
/// - the path has no `..` or `.` segment (before or after decoding), no empty segment but a
///   trailing slash, no encoded slash or backslash, no `%25`, no control characters, spaces,
///   `?` or `#`, and only unreserved characters and percent escapes;
/// - the query keeps no `access_token` or `callback` (a name as a provider framework reads it)
///   and has no `#`, spaces or control characters;
/// - the match names a line of the provider's list, and matching the rebuilt path again gives
///   the same path and line (the rebuild is a fixed point).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProxyPath(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let provider = providers[Int(input.byte()) % providers.count]
    let methodText = input.text(limit: 16)
    let rawPath = input.text(limit: 300)
    let rawQuery = input.text(limit: 200)
    guard let method = HTTPRequest.Method(methodText) else { return 0 }
    guard let match = try? provider.allowList.match(method: method, rawPath: rawPath[...]) else { return 0 }

    property(provider.lines.contains(match.endpoint), "endpoint \(match.endpoint) is not in the list")
    let again = try? provider.allowList.match(method: method, rawPath: match.path[...])
    property(again == match, "the rebuilt path \(match.path) matches differently: \(String(describing: again))")

    let path = Array(match.path.utf8)
    property(path.first == UInt8(ascii: "/"), "path \(match.path) does not start with /")
    property(path.allSatisfy { allowedInPath.contains($0) }, "path \(match.path.debugDescription) has a character that is not unreserved")
    let lowered = match.path.lowercased()
    for encoded in ["%2f", "%5c", "%25", "%2e%2e", "%00", "%0d", "%0a"] {
        property(!lowered.contains(encoded), "path \(match.path) has \(encoded)")
    }
    let segments = match.path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
    for (index, segment) in segments.enumerated() {
        let decoded = segment.removingPercentEncoding ?? String(segment)
        property(!segment.isEmpty || index == segments.count - 1, "path \(match.path) has an empty segment")
        property(decoded != "." && decoded != "..", "path \(match.path) has a dot segment")
        property(!decoded.contains("/") && !decoded.contains("\\"), "segment \(segment) decodes to a slash")
    }

    var rebuilt = match.path.hasSuffix("/") && !provider.suffix.isEmpty ? String(match.path.dropLast()) : match.path
    rebuilt += provider.suffix
    let query = (try? ProxyController.forwardedQuery(rawQuery)) ?? nil
    let url = provider.apiURL + rebuilt + (query.map { "?" + $0 } ?? "")
    guard let components = URLComponents(string: url) else {
        property(false, "\(url.debugDescription) is not a URL")
        return 0
    }
    property(components.scheme == provider.scheme && components.host == provider.host && components.port == nil, "\(url) leaves \(provider.host)")
    property(components.user == nil && components.password == nil, "\(url) has user info")
    property(components.percentEncodedPath == provider.basePath + rebuilt, "\(url) has the path \(components.percentEncodedPath)")
    property(components.fragment == nil, "\(url) has a fragment")
    if let query {
        property(query.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "#") }, "query \(query.debugDescription) has a raw character")
        property(components.percentEncodedQuery == query, "\(url) has the query \(components.percentEncodedQuery ?? "none")")
        for name in frameworkNames(Array(query.utf8)).map({ $0.lowercased() }) {
            property(name != "access_token" && name != "callback", "query \(query) forwards \(name)")
        }
    } else {
        property(components.percentEncodedQuery == nil, "\(url) has a query of its own")
    }
    return 0
}

private struct Provider: Sendable {
    let lines: [String]
    let allowList: EndpointAllowList
    let apiURL: String
    let suffix: String
    var scheme: String { String(apiURL.prefix { $0 != ":" }) }
    var host: String { URLComponents(string: apiURL)!.host! }
    var basePath: String { URLComponents(string: apiURL)!.percentEncodedPath }
}

private let providers = [
    Provider(lines: EndpointAllowList.thingiverseREST, allowList: .thingiverse, apiURL: "https://api.thingiverse.com", suffix: ""),
    Provider(lines: EndpointAllowList.flattrREST, allowList: .flattr, apiURL: "https://api.flattr.com/rest/v2", suffix: ""),
    Provider(lines: EndpointAllowList.userechoBrowserCommands, allowList: .userecho, apiURL: "https://feedback.example.com/api/v2", suffix: ".json"),
]

/// RFC 3986 unreserved characters, `/`, `%` (escapes), and `,` (Flattr's id lists).
private let allowedInPath = Set(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/%,".utf8))
