/// What the proxy needs to know about one provider's API: where it is, which endpoints a
/// browser may reach, the per-person budget, and the provider's quirks. Each provider's
/// folder makes its own (``ThingiverseProvider``, ``FlattrProvider``).
public struct ProxyTarget: Sendable {
    public let provider: ProviderID
    let upstream: UpstreamClient
    /// The REST API base, without a trailing slash.
    let apiURL: String
    let allowList: EndpointAllowList
    let budget: ProxyBudget
    /// Accepts a browser's own token (`Authorization: Bearer`) when the provider can say whose
    /// it is and for which app (Thingiverse's tokeninfo); nil: sessions only.
    let bearerVerifier: BearerTokenVerifier?
    /// Flattr's documented workaround for its trouble with `PATCH`: send `POST` with `_method=patch`.
    let sendsPatchAsPost: Bool

    public init(
        provider: ProviderID, upstream: UpstreamClient, apiURL: String, allowList: EndpointAllowList, budget: ProxyBudget,
        bearerVerifier: BearerTokenVerifier? = nil, sendsPatchAsPost: Bool = false
    ) {
        self.provider = provider
        self.upstream = upstream
        self.apiURL = apiURL
        self.allowList = allowList
        self.budget = budget
        self.bearerVerifier = bearerVerifier
        self.sendsPatchAsPost = sendsPatchAsPost
    }
}
