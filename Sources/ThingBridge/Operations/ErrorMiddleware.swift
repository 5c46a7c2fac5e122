import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Turns every error into one answer: JSON `{"error", "message"}` for API clients, a small HTML
/// page for browser navigations. Unknown errors are logged with the request id and answered 500
/// without details.
public struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let routeIndex: RouteIndex

    public init(routeIndex: RouteIndex) {
        self.routeIndex = routeIndex
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let appError = appError(for: error, request: request, context: context)
            return ErrorResponse.make(appError, for: request)
        }
    }

    private func appError(for error: any Error, request: Request, context: Context) -> AppError {
        switch error {
        case let error as any AppErrorConvertible:
            if error.appError.status.code >= 500 {
                context.logger.warning("request failed", metadata: ["error.code": .string(error.appError.code)])
            }
            return error.appError
        case let error as HTTPError where error.status == .notFound:
            let allowed = routeIndex.methods(forPath: request.uri.path)
            if !allowed.isEmpty {
                let allow = allowed.map(\.rawValue).joined(separator: ", ")
                return AppError(
                    .methodNotAllowed, "method_not_allowed", "\(request.method.rawValue) is not supported here; use \(allow).",
                    headers: [.allow: allow])
            }
            return AppError(.notFound, "not_found", "There is nothing at this address.")
        case let error as HTTPError:
            return Self.appError(forStatus: error.status, message: error.body)
        case let error as any HTTPResponseError:
            // Hummingbird's other status-carrying errors, e.g. NIOTooManyBytesError from `body.collect(upTo:)` (413).
            return Self.appError(forStatus: error.status, message: nil)
        case is DecodingError:
            return AppError(.badRequest, "invalid_json", "The request body is not the JSON this endpoint expects.")
        default:
            context.logger.error("unexpected error", metadata: ["error.type": .string(String(reflecting: type(of: error)))])
            return AppError(.internalServerError, "internal_error", "Something went wrong on our side. The request id is \(context.id).")
        }
    }

    static func appError(forStatus status: HTTPResponse.Status, message: String?) -> AppError {
        switch status {
        case .contentTooLarge:
            return AppError(status, "payload_too_large", "The request body is larger than this endpoint accepts.")
        case .badRequest:
            return AppError(status, "bad_request", message ?? "The request could not be understood.")
        case .unauthorized:
            return AppError(status, "unauthorized", message ?? "Sign in first.")
        case .forbidden:
            return AppError(status, "forbidden", message ?? "You may not do this.")
        default:
            let code = status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_")
            return AppError(status, code.isEmpty ? "error" : code, message ?? status.reasonPhrase)
        }
    }
}

/// Renders an ``AppError`` for the client that asked: HTML for a browser navigation, JSON otherwise.
public enum ErrorResponse {
    public static func make(_ error: AppError, for request: Request) -> Response {
        var headers = error.headers
        headers[.cacheControl] = "no-store"
        if wantsHTML(request) {
            headers[.contentType] = "text/html; charset=utf-8"
            return Response(status: error.status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html(error))))
        }
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: error.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: json(error))))
    }

    /// A browser navigation (not `fetch`) asks for HTML first.
    static func wantsHTML(_ request: Request) -> Bool {
        wantsHTML(method: request.method, headers: request.headers)
    }

    static func wantsHTML(method: HTTPRequest.Method, headers: HTTPFields) -> Bool {
        if headers[.secFetchMode] == "navigate" { return true }
        guard method == .get || method == .head, let accept = headers[.accept] else { return false }
        return accept.hasPrefix("text/html") || accept.contains("application/xhtml+xml")
    }

    static func json(_ error: AppError) -> [UInt8] {
        struct Body: Encodable {
            let error: String
            let message: String
        }
        return (try? Array(JSONEncoder().encode(Body(error: error.code, message: error.message))))
            ?? Array(#"{"error":"internal_error","message":"error"}"#.utf8)
    }

    static func html(_ error: AppError) -> String {
        let title = HTMLText.escape(error.status.reasonPhrase)
        let action = error.action.map { "<p><a class=\"button\" href=\"\(HTMLText.escape($0.href))\">\(HTMLText.escape($0.label))</a></p>" } ?? ""
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(error.status.code) \(title) · ThingBridge</title><link rel="stylesheet" href="/style.css"></head>
            <body class="error-page"><main><h1>\(title)</h1><p>\(HTMLText.escape(error.message))</p>
            \(action)<p class="code">Error code: <code>\(HTMLText.escape(error.code))</code></p>
            <p><a href="/">Back to the start page</a></p></main></body></html>
            """
    }
}

/// HTML escaping for text placed in pages ThingBridge renders, as text or in a quoted attribute.
public enum HTMLText {
    public static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        // Scalars, not Characters: `"` followed by a combining mark is one Character, unequal
        // to `"`, yet a browser still ends the attribute at that quote.
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
