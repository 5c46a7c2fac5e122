import AsyncHTTPClient
import HTTPTypes

/// Why a call to Thingiverse failed, from the caller's point of view.
public enum UpstreamError: Error, Sendable, Equatable {
    /// No connection could be made (refused, DNS, reset).
    case unreachable
    /// No answer within the configured wait.
    case timedOut
    /// An HTML page where the API answers JSON: typically the challenge page of the CDN in front of Thingiverse.
    case notAPI(status: Int)
    /// Thingiverse answered 5xx.
    case serverError(status: Int)
    /// The answer could not be understood (wrong shape, too large).
    case badReply(String)
}

extension UpstreamError: AppErrorConvertible {
    public var appError: AppError {
        switch self {
        case .unreachable:
            AppError(.badGateway, "upstream_unreachable", "Thingiverse cannot be reached right now. Please try again in a moment.")
        case .timedOut:
            AppError(.gatewayTimeout, "upstream_timeout", "Thingiverse did not answer in time. Please try again in a moment.")
        case .notAPI:
            AppError(.badGateway, "upstream_blocked", "Thingiverse answered with a web page instead of data (often a temporary security check). Please try again later.")
        case .serverError(let status):
            AppError(.badGateway, "upstream_error", "Thingiverse had a problem (HTTP \(status)). Please try again later.")
        case .badReply(let what):
            AppError(.badGateway, "upstream_bad_reply", "Thingiverse's answer could not be understood (\(what)).")
        }
    }
}

extension UpstreamError {
    /// A transport failure of the HTTP client, as the caller sees it: a connect timeout means
    /// nobody answered the door (unreachable), a read or deadline timeout a slow answer.
    init(transportError error: any Error) {
        if let error = error as? HTTPClientError, error == .deadlineExceeded || error == .readTimeout {
            self = .timedOut
        } else if let error = error as? UpstreamError {
            self = error
        } else if error is CancellationError {
            self = .timedOut
        } else {
            self = .unreachable
        }
    }
}
