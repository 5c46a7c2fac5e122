import Logging

extension ThingBridgeConfiguration {
    /// The effective value of every setting, as `thingbridge check-config` prints it: secrets
    /// show only whether they are set, never their value.
    public func report() -> [(setting: String, value: String)] {
        func secret(_ secrets: [Secret]?, generated: String) -> String {
            guard let secrets else { return generated }
            return "<redacted> (\(secrets.count) set)"
        }
        let notSet = "(not set)"
        let core: [(setting: String, value: String)] = SettingKey.core.map { key in
            let value: String
            switch key {
            case .mode: value = mode.rawValue
            case .host: value = host
            case .port: value = String(port)
            case .publicURL: value = publicURL
            case .databaseURL: value = database.description
            case .dataDirectory: value = dataDirectory
            case .publicDirectory: value = publicDirectory
            case .sessionKeys: value = secret(sessionKeys, generated: "(generated for development, kept in the data folder)")
            case .webhookSecrets: value = secret(webhookSecrets, generated: "(generated for development, kept in the data folder)")
            case .corsOrigins: value = corsOrigins.isEmpty ? notSet : corsOrigins.joined(separator: ",")
            case .adminUsers: value = adminUsers.isEmpty ? notSet : adminUsers.joined(separator: ",")
            case .adminToken: value = adminToken == nil ? notSet : "<redacted>"
            case .rateLimit: value = rateLimit.description
            case .logLevel: value = logLevel.rawValue
            case .logFormat: value = logFormat.rawValue
            case .idleTimeout: value = "\(idleTimeout)s"
            case .upstreamTimeout: value = "\(upstreamTimeout)s"
            case .connectTimeout: value = "\(connectTimeout)s"
            case .revocationCatchup: value = "\(revocationCatchup)s"
            case .proxyFastPath: value = String(proxyFastPath)
            case .shutdownTimeout: value = "\(shutdownTimeout)s"
            case .webhookGroupCommit: value = String(webhookGroupCommit)
            case .relayEndpoints:
                value =
                    relayEndpoints.isEmpty
                    ? "(not set: only endpoints kept in the database)" : relayEndpoints.map(RelayEndpoint.displayURL).joined(separator: ",")
            case .relaySecret: value = relaySecrets.isEmpty ? notSet : "<redacted>"
            case .relayRetrySchedule: value = relayRetrySchedule.map(String.init).joined(separator: ",")
            case .retentionEventsDays: value = Self.days(retention.eventsDays)
            case .retentionRelayDays: value = Self.days(retention.relayDays)
            case .retentionQuarantineDays: value = Self.days(retention.quarantineDays)
            case .providers: value = configuredProviders.isEmpty ? notSet : configuredProviders.map(\.id.rawValue).joined(separator: ",")
            case .clientID: value = thingiverse?.clientID ?? "(not set: the built-in simulator is used)"
            case .clientSecret: value = thingiverse == nil ? notSet : "<redacted>"
            case .webURL: value = usesSimulator ? "\(publicURL)/sim (simulator)" : thingiverseWebURL
            case .apiURL: value = usesSimulator ? "\(publicURL)/sim/api (simulator)" : thingiverseAPIURL
            case .appToken: value = thingiverse?.appToken == nil ? notSet : "<redacted>"
            default: preconditionFailure("\(key.rawValue) is not one of the core settings")
            }
            return (key.environmentName, value)
        }
        let sections: [(setting: String, value: String)] = providerSections.flatMap { section in
            type(of: section).keys.map { key in (key.environmentName, section.report(key, in: self)) }
        }
        return core + sections + configuredProviders.flatMap(Self.report)
    }

    /// A configured provider's settings, its client secret redacted.
    private static func report(_ provider: ConfiguredProviderSettings) -> [(setting: String, value: String)] {
        let prefix = provider.environmentPrefix
        return [
            (prefix + "CLIENT_ID", provider.clientID), (prefix + "CLIENT_SECRET", "<redacted>"),
            (prefix + "AUTHORIZE_URL", provider.authorizeURL), (prefix + "TOKEN_URL", provider.tokenURL),
            (prefix + "USERINFO_URL", provider.userinfoURL), (prefix + "USER_ID_FIELD", provider.userIDField),
            (prefix + "USER_NAME_FIELD", provider.userNameField), (prefix + "API_URL", provider.apiURL ?? "(not set: sign-in only)"),
            (prefix + "ALLOW", "\(provider.allowList.count) endpoints"), (prefix + "SCOPES", provider.scopes.joined(separator: " ")),
            (prefix + "CLIENT_AUTH", provider.clientAuthentication.rawValue), (prefix + "PKCE", String(provider.pkce)),
            (prefix + "RATE_LIMIT", provider.rateLimit.description), (prefix + "DISPLAY_NAME", provider.id.displayName),
        ]
    }

    private static func days(_ days: Int) -> String {
        days == 0 ? "0 (kept forever)" : "\(days) days"
    }
}
