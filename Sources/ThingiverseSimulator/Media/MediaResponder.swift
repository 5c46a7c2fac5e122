import HTTPTypes
import Hummingbird
import NIOCore

/// Serves `{api}/_media/<name>_<size>.png`: generated placeholder avatars and thing pictures.
/// No token, rate limit or fault applies, like a CDN.
enum MediaResponder {
    static func respond(method: HTTPRequest.Method, segments: [String]) -> Response {
        guard method == .get else {
            return .jsonError(.methodNotAllowed, code: "method_not_allowed", message: "Images can only be fetched with GET.")
        }
        guard let last = segments.last, last.hasSuffix(".png"), !segments.contains(where: { $0.isEmpty }) else {
            return .jsonError(.notFound, code: "not_found", message: "There is no image at this address.")
        }
        var name = (segments.dropLast() + [String(last.dropLast(4))]).joined(separator: "/")
        var size = PlaceholderImage.Size.thumb
        for candidate in PlaceholderImage.Size.allCases where name.hasSuffix("_\(candidate.rawValue)") {
            size = candidate
            name.removeLast(candidate.rawValue.count + 1)
        }
        return .placeholderImage(name: name, size: size)
    }
}
