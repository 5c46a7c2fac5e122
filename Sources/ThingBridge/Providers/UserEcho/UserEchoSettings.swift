extension SettingKey {
    public static let userechoURL = SettingKey("userecho.url")
    public static let userechoAPIKey = SettingKey("userecho.apiKey", secret: true)
    public static let userechoSSOKey = SettingKey("userecho.ssoKey", secret: true)
    public static let userechoWebhookSecrets = SettingKey("userecho.webhookSecrets", secret: true)
    public static let userechoWebhookKey = SettingKey("userecho.webhookKey", secret: true)
}

/// UserEcho's section of the settings (`USERECHO_*`).
struct UserEchoSettings: ProviderSettingsSection {
    static let keys: [SettingKey] = [.userechoURL, .userechoAPIKey, .userechoSSOKey, .userechoWebhookSecrets, .userechoWebhookKey]

    /// The forum; `nil` means off (production) or the simulator (development).
    var userecho: ThingBridgeConfiguration.UserEcho?
    /// Hook URL secrets; `nil` in development means "generate once and keep in the data folder".
    var webhookSecrets: [Secret]?

    init(settings: SettingsReader) throws {
        let url = try settings.httpURL(.userechoURL)
        let apiKey = settings.string(.userechoAPIKey).map(Secret.init)
        let ssoKey = try settings.string(.userechoSSOKey).map { key in
            guard key.utf8.count == 32 else { throw settings.invalid(.userechoSSOKey, "must be the 32-character SSO key from UserEcho's settings") }
            return Secret(key)
        }
        self.webhookSecrets = try settings.list(.userechoWebhookSecrets)?.map { secret in
            guard WebhookSecretFormat.isAcceptable(secret) else { throw settings.invalid(.userechoWebhookSecrets, WebhookSecretFormat.requirement) }
            return Secret(secret)
        }
        let webhookKey = settings.string(.userechoWebhookKey).map(Secret.init)
        self.userecho = try settings.together(.userechoURL, url, .userechoAPIKey, apiKey, example: "https://myapp.userecho.com").map {
            ThingBridgeConfiguration.UserEcho(url: $0, apiKey: $1, ssoKey: ssoKey, webhookKey: webhookKey)
        }
    }

    func checkProduction(settings: SettingsReader) throws {
        if userecho != nil && webhookSecrets == nil {
            throw settings.missing(
                .userechoWebhookSecrets,
                "is required in production with UserEcho (a long random string; the hook URL is /webhooks/userecho/SECRET)")
        }
    }

    /// Its hook URL secret, when the forum (real or simulated) is on without configured ones.
    func needsDevelopmentSecrets(in configuration: ThingBridgeConfiguration) -> Bool {
        webhookSecrets == nil && (userecho != nil || configuration.usesUserEchoSimulator)
    }

    func report(_ key: SettingKey, in configuration: ThingBridgeConfiguration) -> String {
        switch key {
        case .userechoURL:
            return userecho?.url
                ?? (configuration.usesUserEchoSimulator ? "\(configuration.publicURL)/sim/userecho (simulator)" : "(not set: UserEcho is off)")
        case .userechoAPIKey: return userecho == nil ? "(not set)" : "<redacted>"
        case .userechoSSOKey: return userecho?.ssoKey == nil ? "(not set: no single sign-on)" : "<redacted>"
        case .userechoWebhookSecrets:
            return webhookSecrets.map { "<redacted> (\($0.count) set)" } ?? "(generated for development, kept in the data folder)"
        case .userechoWebhookKey: return userecho?.webhookKey == nil ? "(not set: signatures are not checked)" : "<redacted>"
        default: preconditionFailure("\(key.rawValue) is not one of UserEcho's settings")
        }
    }
}

extension ThingBridgeConfiguration {
    /// How ThingBridge reaches the app's UserEcho forum.
    public struct UserEcho: Sendable {
        /// The forum, e.g. `https://myapp.userecho.com`; the API is below `/api/v2/`.
        public var url: String
        public var apiKey: Secret
        /// The 32-character SSO key; nil: no single sign-on.
        public var ssoKey: Secret?
        /// The key UserEcho signs hooks with; nil: signatures are not checked.
        public var webhookKey: Secret?
    }

    /// The UserEcho forum; `nil` means off (production) or the simulator (development).
    public var userecho: UserEcho? { section(UserEchoSettings.self).userecho }
    /// Hook URL secrets; `nil` in development means "generate once and keep in the data folder".
    public var userechoWebhookSecrets: [Secret]? { section(UserEchoSettings.self).webhookSecrets }

    /// The built-in UserEcho simulator runs: development mode without `USERECHO_URL`.
    public var usesUserEchoSimulator: Bool { userecho == nil && mode == .development }
}

extension ThingBridgeConfiguration.UserEcho {
    /// Settings pointing at a simulator (development mode), built outside this module where the
    /// memberwise initializer is not visible.
    package static func simulator(url: String, apiKey: Secret, ssoKey: Secret?, webhookKey: Secret?) -> Self {
        Self(url: url, apiKey: apiKey, ssoKey: ssoKey, webhookKey: webhookKey)
    }
}
