extension SettingKey {
    public static let flattrClientID = SettingKey("flattr.clientId")
    public static let flattrClientSecret = SettingKey("flattr.clientSecret", secret: true)
    public static let flattrWebURL = SettingKey("flattr.webUrl")
    public static let flattrAPIURL = SettingKey("flattr.apiUrl")
    public static let flattrScopes = SettingKey("flattr.scopes")
    public static let flattrRateLimit = SettingKey("flattr.rateLimit")
}

/// Flattr's section of the settings (`FLATTR_*`).
struct FlattrSettings: ProviderSettingsSection {
    static let keys: [SettingKey] = [.flattrClientID, .flattrClientSecret, .flattrWebURL, .flattrAPIURL, .flattrScopes, .flattrRateLimit]

    /// Credentials and URLs; `nil` means off (production) or the simulator (development).
    var flattr: ThingBridgeConfiguration.Flattr?
    var webURL: String
    var apiURL: String
    /// Scopes asked for at Flattr's authorization page.
    var scopes: [String]
    /// Proxy budget per signed-in person.
    var rateLimit: ThingBridgeConfiguration.RateLimit

    init(settings: SettingsReader) throws {
        let webURL = try settings.httpURL(.flattrWebURL) ?? "https://flattr.com"
        let apiURL = try settings.httpURL(.flattrAPIURL) ?? "https://api.flattr.com/rest/v2"
        self.webURL = webURL
        self.apiURL = apiURL
        self.scopes = try Self.parseScopes(settings.string(.flattrScopes) ?? "flattr thing", settings: settings)
        self.rateLimit = try ThingBridgeConfiguration.parseRateLimit(
            settings.string(.flattrRateLimit) ?? "5000/3600", key: .flattrRateLimit, settings: settings)
        self.flattr = try settings.together(
            .flattrClientID, settings.string(.flattrClientID), .flattrClientSecret, settings.string(.flattrClientSecret)
        )
        .map { ThingBridgeConfiguration.Flattr(clientID: $0, clientSecret: Secret($1), webURL: webURL, apiURL: apiURL) }
    }

    func report(_ key: SettingKey, in configuration: ThingBridgeConfiguration) -> String {
        let publicURL = configuration.publicURL
        let simulated = configuration.usesFlattrSimulator
        switch key {
        case .flattrClientID: return flattr?.clientID ?? (simulated ? "(not set: the built-in simulator is used)" : "(not set: Flattr is off)")
        case .flattrClientSecret: return flattr == nil ? "(not set)" : "<redacted>"
        case .flattrWebURL: return simulated ? "\(publicURL)/sim/flattr (simulator)" : webURL
        case .flattrAPIURL: return simulated ? "\(publicURL)/sim/flattr/api (simulator)" : apiURL
        case .flattrScopes: return scopes.joined(separator: " ")
        case .flattrRateLimit: return rateLimit.description
        default: preconditionFailure("\(key.rawValue) is not one of Flattr's settings")
        }
    }

    /// Flattr's scopes, space-separated: `flattr`, `thing`, `email`, `extendedread`.
    static func parseScopes(_ text: String, settings: SettingsReader) throws -> [String] {
        let known: Set<String> = ["flattr", "thing", "email", "extendedread"]
        let scopes = text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        guard !scopes.isEmpty, scopes.allSatisfy(known.contains) else {
            throw settings.invalid(.flattrScopes, "must be space-separated Flattr scopes (flattr, thing, email, extendedread), not \"\(text)\"")
        }
        return scopes
    }
}

extension ThingBridgeConfiguration {
    /// How ThingBridge reaches Flattr (or the simulator standing in for it).
    public struct Flattr: Sendable {
        public var clientID: String
        public var clientSecret: Secret
        public var webURL: String
        public var apiURL: String
    }

    /// Flattr credentials and URLs; `nil` means off (production) or the simulator (development).
    public var flattr: Flattr? { section(FlattrSettings.self).flattr }

    /// The built-in Flattr simulator runs: development mode without Flattr credentials.
    public var usesFlattrSimulator: Bool { flattr == nil && mode == .development }
}

extension ThingBridgeConfiguration.Flattr {
    /// Settings pointing at a simulator (development mode), built outside this module where the
    /// memberwise initializer is not visible.
    package static func simulator(clientID: String, clientSecret: Secret, webURL: String, apiURL: String) -> Self {
        Self(clientID: clientID, clientSecret: clientSecret, webURL: webURL, apiURL: apiURL)
    }
}
