import Configuration
import Foundation
import Logging
import SystemPackage

extension ThingBridgeConfiguration {
    /// Reads and validates every setting.
    ///
    /// - Parameters:
    ///   - reader: flags, then environment, then `Config/thingbridge.json` (see ``makeReader(flags:environment:configFile:)``).
    ///   - workingDirectory: resolves relative paths (the data and public folders).
    /// - Throws: ``ConfigurationError`` naming the first bad setting.
    public init(reader: ConfigReader, workingDirectory: String = FileManager.default.currentDirectoryPath) throws {
        let settings = SettingsReader(reader: reader)

        let modeText = settings.string(.mode) ?? "development"
        guard let mode = Mode(rawValue: modeText) else {
            throw settings.invalid(.mode, "must be development or production, not \"\(modeText)\"")
        }
        self.mode = mode
        self.host = settings.string(.host) ?? "127.0.0.1"
        self.port = try settings.int(.port, in: 0...65535) ?? 8080
        self.publicURL = try settings.httpURL(.publicURL) ?? "http://127.0.0.1:\(port)"

        let databaseText = settings.string(.databaseURL) ?? "sqlite:data/thingbridge.sqlite"
        self.database = try Self.parseDatabase(databaseText, settings: settings)
        let defaultDataDirectory: String
        if case .sqlite(let path) = database, path != ":memory:" {
            defaultDataDirectory = (path as NSString).deletingLastPathComponent
        } else {
            defaultDataDirectory = "data"
        }
        self.dataDirectory = Self.absolute(settings.string(.dataDirectory) ?? defaultDataDirectory, in: workingDirectory)
        self.publicDirectory = Self.absolute(settings.string(.publicDirectory) ?? "Public", in: workingDirectory)

        self.sessionKeys = try settings.list(.sessionKeys)?.map { key in
            guard let bytes = Data(base64Encoded: key), bytes.count == 32 else {
                throw settings.invalid(.sessionKeys, "each key must be 32 bytes in base64 (make one with `thingbridge keys generate`)")
            }
            return Secret(key)
        }
        self.webhookSecrets = try settings.list(.webhookSecrets)?.map { secret in
            guard WebhookSecretFormat.isAcceptable(secret) else {
                throw settings.invalid(.webhookSecrets, WebhookSecretFormat.requirement)
            }
            return Secret(secret)
        }
        self.corsOrigins = try (settings.list(.corsOrigins) ?? []).map { origin in
            guard let normalized = Self.origin(origin) else {
                throw settings.invalid(.corsOrigins, "\"\(origin)\" is not an origin such as https://app.example.com (scheme, host and port only)")
            }
            return normalized
        }
        self.adminUsers = settings.list(.adminUsers) ?? []
        self.adminToken = try settings.string(.adminToken).map { token in
            guard token.count >= 16 else { throw settings.invalid(.adminToken, "must be at least 16 characters") }
            return Secret(token)
        }
        self.rateLimit = try Self.parseRateLimit(settings.string(.rateLimit) ?? "300/300", key: .rateLimit, settings: settings)

        let levelText = settings.string(.logLevel) ?? "info"
        guard let level = Logger.Level(rawValue: levelText) else {
            let levels = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw settings.invalid(.logLevel, "must be one of \(levels), not \"\(levelText)\"")
        }
        self.logLevel = level
        let formatText = settings.string(.logFormat) ?? "text"
        guard let format = LogFormat(rawValue: formatText) else {
            throw settings.invalid(.logFormat, "must be text or json, not \"\(formatText)\"")
        }
        self.logFormat = format
        self.idleTimeout = try settings.int(.idleTimeout, in: 1...3600) ?? 30
        self.upstreamTimeout = try settings.int(.upstreamTimeout, in: 1...600) ?? 20
        self.connectTimeout = try settings.int(.connectTimeout, in: 1...60) ?? 2
        self.revocationCatchup = try settings.int(.revocationCatchup, in: 1...3600) ?? 10
        self.proxyFastPath = try settings.bool(.proxyFastPath) ?? true
        self.shutdownTimeout = try settings.int(.shutdownTimeout, in: 1...600) ?? 15
        self.webhookGroupCommit = try settings.bool(.webhookGroupCommit) ?? true
        self.relayEndpoints =
            try settings.list(.relayEndpoints)?.map { url in
                guard RelayEndpoint.isDeliverable(url) else {
                    throw settings.invalid(.relayEndpoints, "must be comma-separated http:// or https:// URLs, not \"\(url)\"")
                }
                return url
            } ?? []
        self.relaySecrets =
            try settings.list(.relaySecret)?.map { text in
                let secret = Secret(text)
                do {
                    _ = try StandardWebhookSigner(secrets: [secret])
                } catch {
                    throw settings.invalid(.relaySecret, "\(error) (make one with `thingbridge relay secret`)")
                }
                return secret
            } ?? []
        if !relayEndpoints.isEmpty && relaySecrets.isEmpty {
            throw settings.missing(
                .relaySecret, "is required with \(SettingKey.relayEndpoints.environmentName) (make one with `thingbridge relay secret`)")
        }
        self.relayRetrySchedule = try Self.parseRetrySchedule(
            settings.string(.relayRetrySchedule) ?? "5,300,1800,7200,18000,36000,36000", settings: settings)

        self.retention = RetentionPolicy(
            eventsDays: try settings.int(.retentionEventsDays, in: 0...36_500) ?? RetentionPolicy.defaults.eventsDays,
            relayDays: try settings.int(.retentionRelayDays, in: 0...36_500) ?? RetentionPolicy.defaults.relayDays,
            quarantineDays: try settings.int(.retentionQuarantineDays, in: 0...36_500) ?? RetentionPolicy.defaults.quarantineDays
        )

        let webURL = try settings.httpURL(.webURL) ?? "https://www.thingiverse.com"
        let apiURL = try settings.httpURL(.apiURL) ?? "https://api.thingiverse.com"
        let appToken = settings.string(.appToken).map(Secret.init)
        (self.thingiverseWebURL, self.thingiverseAPIURL) = (webURL, apiURL)
        self.thingiverse = try settings.together(.clientID, settings.string(.clientID), .clientSecret, settings.string(.clientSecret)).map {
            Thingiverse(clientID: $0, clientSecret: Secret($1), webURL: webURL, apiURL: apiURL, appToken: appToken)
        }

        // Each built-in provider's own section, read in its folder.
        self.providerSections = try Self.sectionTypes.map { try $0.init(settings: settings) }

        var names: Set<String> = []
        self.configuredProviders = try (settings.list(.providers) ?? []).map { name in
            guard names.insert(name).inserted else { throw settings.invalid(.providers, "names \(name) twice") }
            return try ConfiguredProviderSettings(name: name, reader: reader, production: mode == .production, workingDirectory: workingDirectory)
        }

        if mode == .production {
            if sessionKeys == nil {
                throw settings.missing(.sessionKeys, "is required in production (make one with `thingbridge keys generate`)")
            }
            if webhookSecrets == nil {
                throw settings.missing(
                    .webhookSecrets, "is required in production (a long random string; the webhook URL is /webhooks/thingiverse/SECRET)")
            }
            if thingiverse == nil {
                throw settings.missing(.clientID, "is required in production (the built-in simulator only runs in development)")
            }
            for section in providerSections {
                try section.checkProduction(settings: settings)
            }
        }
    }

    /// The configuration sources in order of precedence: flags, environment, JSON file.
    ///
    /// - Parameters:
    ///   - flags: values given on the command line, keyed by ``SettingKey``.
    ///   - environment: the process environment (tests pass their own).
    ///   - configFile: path of the JSON defaults; a missing file is fine unless `required`.
    public static func makeReader(
        flags: [SettingKey: String] = [:],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        configFile: String? = "Config/thingbridge.json",
        configFileRequired: Bool = false
    ) async throws -> ConfigReader {
        let secretNames = Set(SettingKey.allCases.filter(\.isSecret).map(\.environmentName))
        var providers: [any ConfigProvider] = []
        var flagValues: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, value) in flags {
            flagValues[AbsoluteConfigKey(ConfigKey(key.rawValue))] = ConfigValue(.string(value), isSecret: key.isSecret)
        }
        providers.append(InMemoryProvider(name: "flags", values: flagValues))
        providers.append(
            // A configured provider's client secret (`NAME_CLIENT_SECRET`) is as secret as the built-in ones.
            EnvironmentVariablesProvider(
                environmentVariables: environment,
                secretsSpecifier: .dynamic { name, _ in secretNames.contains(name) || name.hasSuffix("_CLIENT_SECRET") })
        )
        if let configFile {
            let secretKeys = Set(SettingKey.allCases.filter(\.isSecret).map(\.rawValue))
            let file = try await FileProvider<JSONSnapshot>(
                parsingOptions: .init(secretsSpecifier: .dynamic { key, _ in secretKeys.contains(key) || key.hasSuffix(".clientSecret") }),
                filePath: FilePath(configFile),
                allowMissing: !configFileRequired
            )
            providers.append(file)
        }
        return ConfigReader(providers: providers)
    }

    static func parseDatabase(_ text: String, settings: SettingsReader) throws -> DatabaseLocation {
        if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw settings.invalid(.databaseURL, "sqlite: needs a file path, e.g. sqlite:data/thingbridge.sqlite") }
            return .sqlite(path: path)
        }
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            guard PostgresURL.redacted(text) != nil else {
                throw settings.invalid(.databaseURL, "is not a valid postgres://user:pass@host:port/db URL")
            }
            return .postgres(url: Secret(text))
        }
        throw settings.invalid(.databaseURL, "must start with sqlite: or postgres://")
    }

    static func parseRateLimit(_ text: String, key: SettingKey, settings: SettingsReader) throws -> RateLimit {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let count = Int(parts[0]), let seconds = Int(parts[1]), count > 0, seconds > 0 else {
            throw settings.invalid(key, "must be COUNT/SECONDS with positive numbers, e.g. 300/300, not \"\(text)\"")
        }
        return RateLimit(count: count, seconds: seconds)
    }

    /// `scheme://host[:port]`, lower-cased, or nil when the text is not exactly an origin.
    static func origin(_ text: String) -> String? {
        guard let components = URLComponents(string: text),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty,
            components.path.isEmpty, components.query == nil, components.fragment == nil,
            components.user == nil, components.password == nil
        else { return nil }
        return "\(scheme)://\(host.lowercased())" + (components.port.map { ":\($0)" } ?? "")
    }

    static func absolute(_ path: String, in directory: String) -> String {
        let joined = path.hasPrefix("/") ? path : (directory as NSString).appendingPathComponent(path)
        return (joined as NSString).standardizingPath
    }
}

/// Rules for webhook URL secrets: long enough to be unguessable, safe in a URL path.
enum WebhookSecretFormat {
    static let requirement = "each secret must be 16 to 128 characters of A-Z, a-z, 0-9, '-', '_' or '.'"

    static func isAcceptable(_ secret: String) -> Bool {
        (16...128).contains(secret.utf8.count)
            && secret.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == 0x2D || byte == 0x5F || byte == 0x2E
            }
    }
}

/// Parses `postgres://user:pass@host:port/db` URLs.
enum PostgresURL {
    /// `user@host:port/db` with the password left out, or nil when the URL is not usable.
    static func redacted(_ text: String) -> String? {
        guard let components = URLComponents(string: text), let host = components.host, !host.isEmpty,
            components.path.count > 1
        else { return nil }
        let user = components.user.map { "\($0)@" } ?? ""
        return "\(user)\(host):\(components.port ?? 5432)\(components.path)"
    }
}

extension ThingBridgeConfiguration {
    /// Whole seconds from 0 to a week, comma-separated; at most 30 retries.
    static func parseRetrySchedule(_ text: String, settings: SettingsReader) throws -> [Int] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let seconds = parts.compactMap { Int($0) }.filter { (0...604_800).contains($0) }
        guard seconds.count == parts.count, (1...30).contains(seconds.count) else {
            throw settings.invalid(
                .relayRetrySchedule, "must be 1 to 30 comma-separated whole seconds (0 to 604800) between attempts, not \"\(text)\"")
        }
        return seconds
    }
}

/// Typed reads over a `ConfigReader` that turn unusable values into ``ConfigurationError``s.
struct SettingsReader {
    let reader: ConfigReader

    /// The value as text, or nil when unset or empty (an empty value means "not set").
    func string(_ key: SettingKey) -> String? {
        let configKey = ConfigKey(key.rawValue)
        let value =
            reader.string(forKey: configKey, isSecret: key.isSecret)
            ?? reader.int(forKey: configKey, isSecret: key.isSecret).map(String.init)
            ?? reader.bool(forKey: configKey, isSecret: key.isSecret).map(String.init)
        guard let trimmed = value?.trimmingCharacters(in: .whitespaces), !trimmed.isEmpty else { return nil }
        return trimmed
    }

    func int(_ key: SettingKey, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = string(key) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw invalid(key, "must be a whole number from \(range.lowerBound) to \(range.upperBound), not \"\(text)\"")
        }
        return value
    }

    func bool(_ key: SettingKey) throws -> Bool? {
        guard let text = string(key) else { return nil }
        switch text.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw invalid(key, "must be true or false, not \"\(text)\"")
        }
    }

    /// A comma-separated list (or a JSON array), without empty items; nil when unset.
    func list(_ key: SettingKey) -> [String]? {
        let configKey = ConfigKey(key.rawValue)
        let items: [String]
        if let array = reader.stringArray(forKey: configKey, isSecret: key.isSecret) {
            items = array.flatMap { $0.split(separator: ",").map(String.init) }
        } else if let text = string(key) {
            items = text.split(separator: ",").map(String.init)
        } else {
            return nil
        }
        let cleaned = items.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return cleaned.isEmpty ? nil : cleaned
    }

    /// An absolute http(s) URL without a trailing slash.
    func httpURL(_ key: SettingKey) throws -> String? {
        guard var text = string(key) else { return nil }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
            components.query == nil, components.fragment == nil
        else {
            throw invalid(key, "must be an http:// or https:// URL, not \"\(text)\"")
        }
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    /// Two settings that only work together (a client id and its secret, a forum's URL and API key): both
    /// values, nil when neither is set, or an error naming the missing one.
    /// - Parameter example: shown when only `second` is set, as a sample value for `first`.
    func together<First, Second>(
        _ first: SettingKey, _ firstValue: First?, _ second: SettingKey, _ secondValue: Second?, example: String? = nil
    ) throws -> (First, Second)? {
        switch (firstValue, secondValue) {
        case (let first?, let second?):
            return (first, second)
        case (.some, nil):
            throw missing(second, "is required when \(first.environmentName) is set")
        case (nil, .some):
            throw missing(first, "is required when \(second.environmentName) is set" + (example.map { " (e.g. \($0))" } ?? ""))
        case (nil, nil):
            return nil
        }
    }

    func invalid(_ key: SettingKey, _ problem: String) -> ConfigurationError {
        // Never echo a secret's value: the problem texts for secrets do not include it.
        ConfigurationError(setting: key.environmentName, problem: problem)
    }

    func missing(_ key: SettingKey, _ problem: String) -> ConfigurationError {
        ConfigurationError(setting: key.environmentName, problem: problem)
    }
}
