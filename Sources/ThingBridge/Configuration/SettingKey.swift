/// Every configuration setting ThingBridge reads, with its key in `Config/thingbridge.json`
/// and the environment variable that overrides it.
///
/// Keys are dot-separated in the JSON file (`thingbridge.publicUrl`); swift-configuration maps
/// them to environment variables by upper-casing and splitting camelCase (`THINGBRIDGE_PUBLIC_URL`).
public enum SettingKey: String, CaseIterable, Sendable {
    case mode = "thingbridge.env"
    case host = "thingbridge.host"
    case port = "thingbridge.port"
    case publicURL = "thingbridge.publicUrl"
    case databaseURL = "thingbridge.databaseUrl"
    case dataDirectory = "thingbridge.dataDir"
    case publicDirectory = "thingbridge.publicDir"
    case sessionKeys = "thingbridge.sessionKeys"
    case corsOrigins = "thingbridge.corsOrigins"
    case webhookSecrets = "thingbridge.webhookSecrets"
    case adminUsers = "thingbridge.adminUsers"
    case adminToken = "thingbridge.adminToken"
    case rateLimit = "thingbridge.rateLimit"
    case logLevel = "thingbridge.logLevel"
    case logFormat = "thingbridge.logFormat"
    case idleTimeout = "thingbridge.idleTimeout"
    case upstreamTimeout = "thingbridge.upstreamTimeout"
    case connectTimeout = "thingbridge.connectTimeout"
    case revocationCatchup = "thingbridge.revocationCatchup"
    case proxyFastPath = "thingbridge.proxyFastPath"
    case shutdownTimeout = "thingbridge.shutdownTimeout"
    case webhookGroupCommit = "thingbridge.webhookGroupCommit"
    case relayEndpoints = "thingbridge.relayEndpoints"
    case relaySecret = "thingbridge.relaySecret"
    case relayRetrySchedule = "thingbridge.relayRetrySchedule"
    case retentionEventsDays = "thingbridge.retentionEventsDays"
    case retentionRelayDays = "thingbridge.retentionRelayDays"
    case retentionQuarantineDays = "thingbridge.retentionQuarantineDays"
    case providers = "thingbridge.providers"
    case clientID = "thingiverse.clientId"
    case clientSecret = "thingiverse.clientSecret"
    case webURL = "thingiverse.webUrl"
    case apiURL = "thingiverse.apiUrl"
    case appToken = "thingiverse.appToken"
    case flattrClientID = "flattr.clientId"
    case flattrClientSecret = "flattr.clientSecret"
    case flattrWebURL = "flattr.webUrl"
    case flattrAPIURL = "flattr.apiUrl"
    case flattrScopes = "flattr.scopes"
    case flattrRateLimit = "flattr.rateLimit"
    case userechoURL = "userecho.url"
    case userechoAPIKey = "userecho.apiKey"
    case userechoSSOKey = "userecho.ssoKey"
    case userechoWebhookSecrets = "userecho.webhookSecrets"
    case userechoWebhookKey = "userecho.webhookKey"

    /// Settings whose values are never printed, logged or returned.
    public var isSecret: Bool {
        switch self {
        case .sessionKeys, .webhookSecrets, .adminToken, .clientSecret, .appToken, .databaseURL, .flattrClientSecret,
            .userechoAPIKey, .userechoSSOKey, .userechoWebhookSecrets, .userechoWebhookKey, .relaySecret:
            true
        default: false
        }
    }

    /// The environment variable name, e.g. `THINGBRIDGE_PUBLIC_URL`.
    public var environmentName: String {
        var name = ""
        var previous: Character?
        for character in rawValue {
            if character == "." {
                name.append("_")
            } else {
                if let previous, previous.isLowercase, character.isUppercase { name.append("_") }
                name.append(contentsOf: character.uppercased())
            }
            previous = character
        }
        return name
    }

    /// The command-line flag that overrides it, where there is one.
    public var flag: String? {
        switch self {
        case .host: "--host"
        case .port: "--port"
        case .publicURL: "--public-url"
        case .databaseURL: "--database-url"
        case .mode: "--env"
        case .logLevel: "--log-level"
        default: nil
        }
    }
}
