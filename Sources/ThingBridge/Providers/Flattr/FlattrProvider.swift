/// Flattr as ThingBridge uses it: a standard OAuth2 provider described as configuration
/// (HTTP Basic client authentication, a JSON token reply, the account from `GET /user`, the REST
/// API v2's allow-list and budget), run by the same code as every configured provider, plus
/// its documented quirks: the `PATCH` workaround, `{username}` as text, and `GET /things/:id,:id`
/// lists (``EndpointAllowList``'s `{ids}`). Its lookup redirect is rewritten like any API URL.
///
/// Flattr closed in 2024; the built-in simulator stands in for it.
enum FlattrProvider {
    /// Flattr, when its credentials are set or development mode simulates it; nothing otherwise.
    static func build(_ services: ProviderServices) -> [any Provider] {
        let section = services.configuration.section(FlattrSettings.self)
        guard let flattr = section.flattr ?? services.development?.simulated(ThingBridgeConfiguration.Flattr.self) else { return [] }
        let described = settings(flattr, scopes: section.scopes, rateLimit: section.rateLimit)
        return [ConfiguredProvider(settings: described, quirks: quirks, services: services)]
    }

    /// Flattr's settings as a configured provider's.
    static func settings(_ flattr: ThingBridgeConfiguration.Flattr, scopes: [String], rateLimit: ThingBridgeConfiguration.RateLimit)
        -> ConfiguredProviderSettings
    {
        var settings = ConfiguredProviderSettings(
            id: .flattr, clientID: flattr.clientID, clientSecret: flattr.clientSecret, authorizeURL: flattr.webURL + "/oauth/authorize",
            tokenURL: flattr.webURL + "/oauth/token", userinfoURL: flattr.apiURL + "/user", userIDField: "username", userNameField: "username",
            apiURL: flattr.apiURL, allowList: EndpointAllowList.flattrREST, scopes: scopes, clientAuthentication: .basic, pkce: false,
            rateLimit: rateLimit)
        settings.userFullNameFields = ["firstname", "lastname"]
        settings.userAvatarField = "avatar"
        return settings
    }

    /// What Flattr does that the standard leaves open.
    static let quirks = ConfiguredProvider.Quirks(textParameters: ["username"], sendsPatchAsPost: true)
}

extension ProviderID {
    public static let flattr = ProviderID(known: "flattr", displayName: "Flattr")
}
