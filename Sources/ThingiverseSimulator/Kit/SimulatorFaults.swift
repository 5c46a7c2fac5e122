import Hummingbird

/// Switches that make a simulated provider misbehave the ways a real one can. All are off by
/// default. They apply to the OAuth and API routes, never to the media images, the forum and
/// profile pages or Thingiverse's `_control` endpoint. The first four are trouble at the
/// provider's edge and apply to every simulator; the others are Thingiverse's own.
public struct SimulatorFaults: Sendable, Equatable {
    /// Sleep this long (cancellably) before answering each OAuth/API request.
    public var delay: Duration?
    /// Answer each OAuth/API request with a 403 Cloudflare-style "Just a moment..." HTML page.
    /// Takes precedence over `serverError`.
    public var htmlChallenge = false
    /// Answer each OAuth/API request with 503 and a small HTML body.
    public var serverError = false
    /// Answer each OAuth/API request with 200 and an HTML error page, as a PHP site that failed does.
    /// Comes after `htmlChallenge` and `serverError`.
    public var htmlErrorPage = false
    /// Serve the token endpoint's URL-encoded form as `text/html; charset=UTF-8`, as Thingiverse
    /// does in practice (PHP's default content type); the body is unchanged.
    public var formRepliesAsHTML = false
    /// Redirect from the authorization page without echoing `state`.
    public var dropState = false
    /// Record tokens issued while this is on as belonging to another app
    /// (`tokeninfo` then reports the audience `someone-elses-app`).
    public var foreignAudience = false

    /// All faults off.
    public init() {}

    /// The client id that `foreignAudience` tokens are recorded under.
    static let foreignClientID = "someone-elses-app"
}

extension SimulatorFaults {
    /// Applies the edge faults (`delay`, `htmlChallenge`, `serverError`, `htmlErrorPage`):
    /// sleeps if asked, then returns the page to send instead of the real answer, if any.
    /// - Parameter host: the provider's host name, shown on the challenge page
    func response(host: String) async throws -> Response? {
        if let delay {
            try await Task.sleep(for: delay)
        }
        if htmlChallenge {
            return FaultPages.challenge(host: host)
        }
        if serverError {
            return FaultPages.serviceUnavailable()
        }
        if htmlErrorPage {
            return FaultPages.phpErrorPage()
        }
        return nil
    }
}
