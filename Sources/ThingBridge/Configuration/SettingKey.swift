/// Every configuration setting ThingBridge reads, with its key in `Config/thingbridge.json`
/// and the environment variable that overrides it.
///
/// Keys are dot-separated in the JSON file (`thingbridge.publicUrl`); swift-configuration maps
/// them to environment variables by upper-casing and splitting camelCase (`THINGBRIDGE_PUBLIC_URL`).
///
/// The server's own settings and Thingiverse's are here; every other built-in provider declares its
/// keys in its own folder (``ProviderSettingsSection``).
public struct SettingKey: RawRepresentable, Hashable, CaseIterable, Sendable {
    public let rawValue: String
    /// Settings whose values are never printed, logged or returned.
    public let isSecret: Bool
    /// The command-line flag that overrides it, where there is one.
    public let flag: String?

    /// A key declared here or in a provider's folder.
    init(_ rawValue: String, secret: Bool = false, flag: String? = nil) {
        self.rawValue = rawValue
        self.isSecret = secret
        self.flag = flag
    }

    /// One of ``allCases`` by its key in the JSON file.
    public init?(rawValue: String) {
        guard let key = Self.allCases.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = key
    }

    public static let mode = SettingKey("thingbridge.env", flag: "--env")
    public static let host = SettingKey("thingbridge.host", flag: "--host")
    public static let port = SettingKey("thingbridge.port", flag: "--port")
    public static let publicURL = SettingKey("thingbridge.publicUrl", flag: "--public-url")
    public static let databaseURL = SettingKey("thingbridge.databaseUrl", secret: true, flag: "--database-url")
    public static let dataDirectory = SettingKey("thingbridge.dataDir")
    public static let publicDirectory = SettingKey("thingbridge.publicDir")
    public static let sessionKeys = SettingKey("thingbridge.sessionKeys", secret: true)
    public static let corsOrigins = SettingKey("thingbridge.corsOrigins")
    public static let webhookSecrets = SettingKey("thingbridge.webhookSecrets", secret: true)
    public static let adminUsers = SettingKey("thingbridge.adminUsers")
    public static let adminToken = SettingKey("thingbridge.adminToken", secret: true)
    public static let rateLimit = SettingKey("thingbridge.rateLimit")
    public static let logLevel = SettingKey("thingbridge.logLevel", flag: "--log-level")
    public static let logFormat = SettingKey("thingbridge.logFormat")
    public static let idleTimeout = SettingKey("thingbridge.idleTimeout")
    public static let upstreamTimeout = SettingKey("thingbridge.upstreamTimeout")
    public static let connectTimeout = SettingKey("thingbridge.connectTimeout")
    public static let revocationCatchup = SettingKey("thingbridge.revocationCatchup")
    public static let proxyFastPath = SettingKey("thingbridge.proxyFastPath")
    public static let shutdownTimeout = SettingKey("thingbridge.shutdownTimeout")
    public static let webhookGroupCommit = SettingKey("thingbridge.webhookGroupCommit")
    public static let relayEndpoints = SettingKey("thingbridge.relayEndpoints")
    public static let relaySecret = SettingKey("thingbridge.relaySecret", secret: true)
    public static let relayRetrySchedule = SettingKey("thingbridge.relayRetrySchedule")
    public static let retentionEventsDays = SettingKey("thingbridge.retentionEventsDays")
    public static let retentionRelayDays = SettingKey("thingbridge.retentionRelayDays")
    public static let retentionQuarantineDays = SettingKey("thingbridge.retentionQuarantineDays")
    public static let providers = SettingKey("thingbridge.providers")
    public static let clientID = SettingKey("thingiverse.clientId")
    public static let clientSecret = SettingKey("thingiverse.clientSecret", secret: true)
    public static let webURL = SettingKey("thingiverse.webUrl")
    public static let apiURL = SettingKey("thingiverse.apiUrl")
    public static let appToken = SettingKey("thingiverse.appToken", secret: true)

    /// The server's own settings and Thingiverse's, in the order `thingbridge check-config` prints them.
    static let core: [SettingKey] = [
        .mode, .host, .port, .publicURL, .databaseURL, .dataDirectory, .publicDirectory, .sessionKeys, .corsOrigins, .webhookSecrets,
        .adminUsers, .adminToken, .rateLimit, .logLevel, .logFormat, .idleTimeout, .upstreamTimeout, .connectTimeout, .revocationCatchup,
        .proxyFastPath, .shutdownTimeout, .webhookGroupCommit, .relayEndpoints, .relaySecret, .relayRetrySchedule, .retentionEventsDays,
        .retentionRelayDays, .retentionQuarantineDays, .providers, .clientID, .clientSecret, .webURL, .apiURL, .appToken,
    ]

    /// Every setting: the core ones, then each built-in provider's section in turn.
    public static let allCases: [SettingKey] = core + ThingBridgeConfiguration.sectionTypes.flatMap { $0.keys }

    public static func == (lhs: SettingKey, rhs: SettingKey) -> Bool { lhs.rawValue == rhs.rawValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }

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
}
