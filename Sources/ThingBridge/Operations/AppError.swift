import HTTPTypes

/// An error as a client sees it: a status, a short machine-readable code and a sentence a
/// person can act on. Every failure ThingBridge answers is turned into one of these in
/// ``ErrorMiddleware``.
public struct AppError: Error, Sendable, Equatable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    /// Extra response headers, e.g. `Retry-After` or `Allow`.
    public var headers: HTTPFields
    /// For the HTML page: a next step, e.g. ("Sign in again", "/auth/login").
    public var action: Action?

    public struct Action: Sendable, Equatable {
        public var label: String
        public var href: String
    }

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, headers: HTTPFields = [:], action: Action? = nil) {
        (self.status, self.code, self.message, self.headers, self.action) = (status, code, message, headers, action)
    }
}

/// An error type that knows which ``AppError`` it is.
public protocol AppErrorConvertible: Error {
    var appError: AppError { get }
}

extension AppError: AppErrorConvertible {
    public var appError: AppError { self }
}

extension StorageError: AppErrorConvertible {
    public var appError: AppError {
        AppError(
            .serviceUnavailable, "storage_unavailable",
            "ThingBridge cannot reach its database right now. Nothing was stored; please try again shortly.",
            headers: [.retryAfter: "5"]
        )
    }
}
