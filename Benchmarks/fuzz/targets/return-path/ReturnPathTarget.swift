import Foundation

/// `return_to` after sign-in against any text.
///
/// Properties:
/// - the result is either the candidate unchanged or `/`;
/// - an accepted path, resolved by Foundation's URL resolver (RFC 3986) against our origin,
///   stays on our origin (scheme, host, port, no user info), and so does it after the changes a
///   browser makes to a URL before resolving it (WHATWG: tabs and newlines dropped, `\` read as
///   `/`) and after one more round of percent-decoding (a proxy or a framework that decodes);
/// - an accepted path has no dot segment, before or after decoding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReturnPath(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let candidate = String(decoding: bytes(data, size), as: UTF8.self)
    let result = ReturnPath(candidate).path
    property(result == candidate || result == "/", "ReturnPath changed \(candidate.debugDescription) into \(result.debugDescription)")
    guard result == candidate, candidate != "/" else { return 0 }

    property(staysOnOrigin(candidate), "\(candidate.debugDescription) leaves the origin")
    let browserView = candidate.filter { $0 != "\t" && $0 != "\n" && $0 != "\r" }.replacingOccurrences(of: "\\", with: "/")
    property(staysOnOrigin(browserView), "\(candidate.debugDescription) leaves the origin as a browser reads it")
    property(!browserView.hasPrefix("//"), "\(candidate.debugDescription) is protocol-relative to a browser")
    if let decoded = candidate.removingPercentEncoding {
        property(!decoded.hasPrefix("//") && !decoded.hasPrefix("/\\"), "\(candidate.debugDescription) decodes to another origin")
        property(staysOnOrigin(decoded), "\(candidate.debugDescription) leaves the origin once decoded")
    }
    // The path ends at the first raw `?` or `#` (an encoded one is part of the path).
    let rawPath = candidate.prefix { $0 != "?" && $0 != "#" }
    let decodedPath = String(rawPath).removingPercentEncoding ?? String(rawPath)
    let segments = decodedPath.split(separator: "/", omittingEmptySubsequences: false)
    property(!segments.contains { $0 == ".." || $0 == "." }, "\(candidate.debugDescription) has a dot segment once decoded")
    return 0
}

private let origin = URL(string: "https://app.example:8443/")!

/// Whether Foundation resolves `reference` to a URL on our origin. A reference Foundation cannot
/// parse at all (it has characters RFC 3986 forbids) is tried percent-encoded, as a browser sends it.
private func staysOnOrigin(_ reference: String) -> Bool {
    let url =
        URL(string: reference, relativeTo: origin)
        ?? reference.addingPercentEncoding(withAllowedCharacters: .urlFragmentAllowed.union(.urlQueryAllowed)).flatMap {
            URL(string: $0, relativeTo: origin)
        }
    guard let absolute = url?.absoluteURL else { return true }
    guard let components = URLComponents(url: absolute, resolvingAgainstBaseURL: true) else { return false }
    return components.scheme == "https" && components.host == "app.example" && components.port == 8443
        && components.user == nil && components.password == nil
}
