import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOHTTP1
import Tracing

/// UserEcho, the app's feedback forum: its API on behalf of signed-in people (the project's key
/// plus their `sso_token`), single sign-on into the forum, and logging people out of it.
public struct UserEchoProvider: Provider {
    public let settings: ThingBridgeConfiguration.UserEcho
    public let upstream: UpstreamClient
    /// The hook URL secrets in force (`/webhooks/userecho/SECRET`).
    let hookSecrets: [Secret]
    /// Whether they were generated for development (the URL is printed at start).
    let hookSecretsGenerated: Bool
    /// `USERECHO_URL/api/v2`.
    let apiURL: String
    let sso: UserEchoSSOToken?
    let identities: UserEchoIdentities

    /// - Parameter tracer: a span per call when tracing is on.
    public init(
        settings: ThingBridgeConfiguration.UserEcho, hookSecrets: [Secret], hookSecretsGenerated: Bool = false, httpClient: HTTPClient,
        timeout: Duration, tracer: (any Tracer)? = nil
    ) {
        self.settings = settings
        self.hookSecrets = hookSecrets
        self.hookSecretsGenerated = hookSecretsGenerated
        self.upstream = UpstreamClient(httpClient: httpClient, timeout: timeout, provider: ProviderID.userecho.displayName, tracer: tracer)
        self.apiURL = settings.url + "/api/v2"
        self.sso = settings.ssoKey.map(UserEchoSSOToken.init)
        self.identities = UserEchoIdentities(upstream: upstream, apiURL: apiURL, apiKey: settings.apiKey)
    }

    /// The forum, when `USERECHO_URL` is set or development mode simulates it; nothing otherwise.
    static func build(_ services: ProviderServices) -> [any Provider] {
        let configuration = services.configuration
        guard let settings = configuration.userecho ?? services.development?.simulated(ThingBridgeConfiguration.UserEcho.self) else {
            return []
        }
        let configuredSecrets = configuration.userechoWebhookSecrets
        let hookSecrets = configuredSecrets ?? [Secret(services.developmentSecrets?.userechoWebhookSecret ?? randomToken(bytes: 24))]
        return [
            UserEchoProvider(
                settings: settings, hookSecrets: hookSecrets, hookSecretsGenerated: configuredSecrets == nil, httpClient: services.httpClient,
                timeout: services.timeout, tracer: services.tracer)
        ]
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

    public var id: ProviderID { .userecho }
    public var signIn: (any SignInProvider)? { nil }
    public var proxies: [(path: String, target: ProxyTarget)] { [("/api/userecho", proxyTarget())] }

    /// Its hooks into the event log, single sign-on into the forum, and forum logout on logout.
    public func mount(on router: Router<AppRequestContext>, with context: ProviderContext) throws -> ProviderMount {
        var mount = ProviderMount()
        if let sso {
            router.addRoutes(
                SingleSignOnController<AppRequestContext>(cookies: context.cookies, sso: sso, forumURL: settings.url).endpoints, atPath: "/sso")
            mount.forumPath = "/sso/userecho"
        }
        let hookURL = context.publicURL + "/webhooks/userecho/" + hookSecrets[0].value
        if hookSecretsGenerated {
            mount.notes.append("Development UserEcho hook URL: \(hookURL)")
        }
        // The built-in forum tells ThingBridge about new topics and comments, as a real one
        // would after `thingbridge userecho hooks sync`.
        context.development?.sendForumHooks(to: hookURL)
        router.addRoutes(
            UserEchoHookController<AppRequestContext>(
                secrets: WebhookSecretSet(hookSecrets), signature: settings.webhookKey.map(UserEchoSignature.init), store: context.eventStore,
                newEventStored: context.newEventStored
            ).endpoints)
        let logger = context.logger
        mount.onLogout = { session in self.logOut(session, logger: logger) }
        return mount
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

extension ProviderID {
    public static let userecho = ProviderID(known: "userecho", displayName: "UserEcho")
}
