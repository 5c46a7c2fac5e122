import AsyncHTTPClient
import Foundation
import Logging
import NIOHTTP1

/// UserEcho, the app's feedback forum: its API on behalf of signed-in people (the project's key
/// plus their `sso_token`), single sign-on into the forum, and logging people out of it.
public struct UserEchoProvider: Sendable {
    public let settings: ThingBridgeConfiguration.UserEcho
    public let upstream: UpstreamClient
    /// `USERECHO_URL/api/v2`.
    let apiURL: String
    let sso: UserEchoSSOToken?
    let identities: UserEchoIdentities

    public init(settings: ThingBridgeConfiguration.UserEcho, httpClient: HTTPClient, timeout: Duration) {
        self.settings = settings
        self.upstream = UpstreamClient(httpClient: httpClient, timeout: timeout, provider: ProviderID.userecho.displayName)
        self.apiURL = settings.url + "/api/v2"
        self.sso = settings.ssoKey.map(UserEchoSSOToken.init)
        self.identities = UserEchoIdentities(upstream: upstream, apiURL: apiURL, apiKey: settings.apiKey)
    }

    /// The proxy's view: any signed-in person, acting as themselves; `PUT` is UserEcho's update.
    /// Budget: UserEcho documents none; 600 per person per 5 minutes keeps one page from
    /// spending the project's key.
    public func proxyTarget() -> ProxyTarget {
        ProxyTarget(
            provider: .userecho, upstream: upstream, apiURL: apiURL, pathSuffix: ".json", allowList: .userecho,
            forbidden: .userechoForbidden, budget: ProxyBudget(limit: 600, window: .seconds(300)),
            identity: .delegated(UserEchoDelegation(apiKey: settings.apiKey, sso: sso, identities: identities)))
    }

    /// Ends the person's forum sessions (`users/{id}/logout`), when single sign-on is on and the
    /// forum knows them; in the background, so logging out never waits for the forum.
    func logOut(_ session: Session, logger: Logger) {
        guard sso != nil else { return }
        let (upstream, identities, apiURL, apiKey) = (self.upstream, self.identities, self.apiURL, settings.apiKey)
        Task {
            do {
                guard let id = try await identities.existingUserID(for: session) else { return }
                var request = HTTPClientRequest(url: apiURL + "/users/\(id)/logout.json")
                request.headers.add(name: "Authorization", value: "Bearer \(apiKey.value)")
                _ = try await upstream.data(request)
            } catch {
                logger.warning("UserEcho logout failed", metadata: ["error": .string(String(describing: error))])
            }
        }
    }
}
