import NIOCore
import NIOHTTP1

/// What the proxy needs to know about one provider's API: where it is, which endpoints a
/// browser may reach, the per-person budget, whose identity the requests carry, and the
/// provider's quirks. Each provider's folder makes its own (``ThingiverseProvider``,
/// ``FlattrProvider``, ``UserEchoProvider``).
public struct ProxyTarget: Sendable {
    /// Whose credentials go upstream.
    public enum Identity: Sendable {
        /// The person's own token of this provider, from the session; with a verifier, also a
        /// browser's own token that the provider says is this app's (Thingiverse's tokeninfo).
        case personalToken(bearerVerifier: BearerTokenVerifier?)
        /// The app's own credentials acting for the signed-in person (UserEcho's API key and
        /// `sso_token`): any signed-in session, never a browser's choice of whom to act as.
        case delegated(any DelegatedCredentials)
    }

    public let provider: ProviderID
    let upstream: UpstreamClient
    /// The REST API base, without a trailing slash.
    let apiURL: String
    /// Added to every forwarded path (UserEcho's commands end in `.json`).
    let pathSuffix: String
    let allowList: EndpointAllowList
    /// Endpoints of the API that exist but are never for browsers: 403 instead of 404.
    let forbidden: EndpointAllowList?
    let budget: ProxyBudget
    let identity: Identity
    /// Flattr's documented workaround for its trouble with `PATCH`: send `POST` with `_method=patch`.
    let sendsPatchAsPost: Bool
    /// Refreshes the session's expiring tokens (configured providers); nil: tokens are used as they are.
    let refresher: TokenRefresher?

    public init(
        provider: ProviderID, upstream: UpstreamClient, apiURL: String, pathSuffix: String = "", allowList: EndpointAllowList,
        forbidden: EndpointAllowList? = nil, budget: ProxyBudget, identity: Identity, sendsPatchAsPost: Bool = false,
        refresher: TokenRefresher? = nil
    ) {
        self.refresher = refresher
        self.provider = provider
        self.upstream = upstream
        self.apiURL = apiURL
        self.pathSuffix = pathSuffix
        self.allowList = allowList
        self.forbidden = forbidden
        self.budget = budget
        self.identity = identity
        self.sendsPatchAsPost = sendsPatchAsPost
    }
}

/// The app's own credentials acting for a signed-in person (UserEcho's API key plus an
/// `sso_token` naming the person).
public protocol DelegatedCredentials: Sendable {
    /// Parameters that choose whom the app acts as; a browser sending any of them, in the query
    /// or the body, is refused before anything goes upstream.
    var identityParameters: Set<String> { get }
    /// Adds the app's key and the person's identity to `request`. May refuse (for example a
    /// path naming another person's id) by throwing.
    func authorize(_ request: inout DelegatedRequest, for session: Session, endpoint: String) async throws
}

/// A proxied request while its credentials are added.
public struct DelegatedRequest: Sendable {
    public let method: HTTPMethod
    /// The path sent upstream, below the API base, e.g. `/users/17/topics.json`.
    public let path: String
    /// Query parameters, percent-encoded `name=value` pairs.
    public var query: [String]
    public var body: ByteBuffer?
    public let contentType: String?
    public var headers: HTTPHeaders
}
