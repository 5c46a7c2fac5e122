/// Switches that make the simulated Flattr misbehave the ways a real provider can.
/// All are off by default. They apply to the OAuth and API routes, never to the profile and
/// thing pages or the images.
public struct FlattrSimulatorFaults: Sendable, Equatable {
    /// Sleep this long (cancellably) before answering each OAuth/API request.
    public var delay: Duration?
    /// Answer each OAuth/API request with a 403 Cloudflare-style "Just a moment..." HTML page.
    /// Takes precedence over `serverError`.
    public var htmlChallenge: Bool
    /// Answer each OAuth/API request with 503 and a small HTML body.
    public var serverError: Bool

    /// All faults off.
    public init() {
        self.delay = nil
        self.htmlChallenge = false
        self.serverError = false
    }
}

extension FlattrSimulatorFaults: EdgeFaults {
    /// Flattr's pages never failed this way.
    var htmlErrorPage: Bool { false }
}
