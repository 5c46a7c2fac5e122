import AsyncHTTPClient
import HTTPTypes

/// Why a call to a provider failed, from the caller's point of view. Every upstream call maps
/// its failures to these in ``UpstreamClient``; the messages name the provider.
public struct UpstreamError: Error, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// No connection could be made (refused, DNS, reset).
        case unreachable
        /// No answer within the configured wait.
        case timedOut
        /// An HTML page where data belongs: typically the challenge page of a CDN.
        case notAPI(status: Int)
        /// The provider answered 5xx.
        case serverError(status: Int)
        /// The provider's own rate limit (429); `retryAfter` in seconds when it said.
        case rateLimited(retryAfter: Int?)
        /// The answer could not be understood (wrong shape, too large).
        case badReply(String)
    }

    public var kind: Kind
    /// The provider's name for messages, e.g. "Thingiverse".
    public var provider: String

    public init(_ kind: Kind, provider: String) {
        self.kind = kind
        self.provider = provider
    }
}

extension UpstreamError {
    /// What a web page where data belongs means: the provider's own trouble when it is a 5xx
    /// (a load balancer's error page), otherwise a page in the way (a CDN challenge).
    static func webPage(status: Int, provider: String) -> UpstreamError {
        UpstreamError(status >= 500 ? .serverError(status: status) : .notAPI(status: status), provider: provider)
    }
}

extension UpstreamError: CustomStringConvertible {
    /// The person-facing message: what logs and retry reasons show (it never holds a secret).
    public var description: String { appError.message }
}

extension UpstreamError: AppErrorConvertible {
    public var appError: AppError {
        switch kind {
        case .unreachable:
            AppError(.badGateway, "upstream_unreachable", "\(provider) cannot be reached right now. Please try again in a moment.")
        case .timedOut:
            AppError(.gatewayTimeout, "upstream_timeout", "\(provider) did not answer in time. Please try again in a moment.")
        case .notAPI:
            AppError(
                .badGateway, "upstream_blocked",
                "\(provider) answered with a web page instead of data (often a temporary security check). Please try again later.")
        case .serverError(let status):
            AppError(.badGateway, "upstream_error", "\(provider) had a problem (HTTP \(status)). Please try again later.")
        case .rateLimited(let retryAfter):
            AppError(
                .tooManyRequests, "upstream_rate_limited", "\(provider) asks us to slow down. Please try again shortly.",
                headers: [.retryAfter: String(retryAfter ?? 60)])
        case .badReply(let what):
            AppError(.badGateway, "upstream_bad_reply", "\(provider)'s answer could not be understood (\(what)).")
        }
    }
}

extension UpstreamError.Kind {
    /// A transport failure of the HTTP client, as the caller sees it: a connect timeout means
    /// nobody answered the door (unreachable), a read or deadline timeout a slow answer.
    init(transportError error: any Error) {
        if let error = error as? HTTPClientError, error == .deadlineExceeded || error == .readTimeout {
            self = .timedOut
        } else if let error = error as? UpstreamError {
            self = error.kind
        } else if error is CancellationError {
            self = .timedOut
        } else {
            self = .unreachable
        }
    }
}
