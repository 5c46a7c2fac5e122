import Foundation
import Logging
import Testing

@testable import ThingBridge

@Suite struct ConfigurationTests {
    @Test func defaultsNeedNoConfigurationAtAll() async throws {
        let configuration = try await TestEnvironment.configuration([:])
        #expect(configuration.mode == .development)
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 8080)
        #expect(configuration.publicURL == "http://127.0.0.1:8080")
        #expect(configuration.database == .sqlite(path: "data/thingbridge.sqlite"))
        #expect(configuration.usesSimulator)
        #expect(configuration.rateLimit == .init(count: 300, seconds: 300))
        #expect(configuration.redirectURI == "http://127.0.0.1:8080/auth/callback")
        #expect(configuration.sessionKeys == nil)
    }

    @Test func theShippedConfigFileIsValidAndMatchesTheDefaults() async throws {
        let file = (TestEnvironment.publicDirectory as NSString).deletingLastPathComponent + "/Config/thingbridge.json"
        let fromFile = try await TestEnvironment.configuration([:], configFile: file)
        let builtIn = try await TestEnvironment.configuration([:])
        #expect(fromFile.report().map(\.value) == builtIn.report().map(\.value))
    }

    @Test func flagsOverrideEnvironmentWhichOverridesTheFile() async throws {
        let directory = TestEnvironment.temporaryDirectory()
        let file = directory + "/config.json"
        try #"{"thingbridge": {"host": "10.0.0.1", "port": 7000, "rateLimit": "10/60", "logLevel": "debug"}}"#
            .write(toFile: file, atomically: true, encoding: .utf8)

        let fileOnly = try await TestEnvironment.configuration([:], configFile: file)
        #expect(fileOnly.host == "10.0.0.1")
        #expect(fileOnly.port == 7000)
        #expect(fileOnly.rateLimit == .init(count: 10, seconds: 60))

        let environment = ["THINGBRIDGE_PORT": "7100", "THINGBRIDGE_HOST": "0.0.0.0"]
        let withEnvironment = try await TestEnvironment.configuration(environment, configFile: file)
        #expect(withEnvironment.port == 7100)
        #expect(withEnvironment.host == "0.0.0.0")
        #expect(withEnvironment.logLevel == .debug)

        let withFlags = try await TestEnvironment.configuration(environment, configFile: file, flags: [.port: "7200"])
        #expect(withFlags.port == 7200)
        #expect(withFlags.host == "0.0.0.0")
    }

    @Test(arguments: SettingKey.allCases)
    func everySettingIsReadFromItsEnvironmentVariable(key: SettingKey) async throws {
        let samples: [SettingKey: String] = [
            .mode: "production", .host: "0.0.0.0", .port: "9999", .publicURL: "https://app.example.com",
            .databaseURL: "postgres://u:p@db.example.com:5433/tb", .dataDirectory: "/var/lib/tb", .publicDirectory: "/srv/public",
            .sessionKeys: TestEnvironment.sessionKey, .corsOrigins: "https://a.example.com", .webhookSecrets: TestEnvironment.webhookSecret,
            .adminUsers: "alice", .adminToken: "admin-token-0123456789", .rateLimit: "5/10", .logLevel: "error", .logFormat: "json",
            .idleTimeout: "7", .upstreamTimeout: "8", .connectTimeout: "3", .revocationCatchup: "11", .proxyFastPath: "false", .shutdownTimeout: "9",
            .webhookGroupCommit: "false",
            .clientID: "client-1", .clientSecret: "secret-1", .webURL: "https://web.example.com", .apiURL: "https://api.example.com",
            .appToken: "app-token-1", .flattrClientID: "flattr-client-1", .flattrClientSecret: "flattr-secret-1",
            .flattrWebURL: "https://flattr.example.com", .flattrAPIURL: "https://api.flattr.example.com/rest/v2",
            .flattrScopes: "flattr email", .flattrRateLimit: "50/60",
            .userechoURL: "https://forum.example.com", .userechoAPIKey: "userecho-key-1", .userechoSSOKey: "0123456789abcdef0123456789abcdef",
            .userechoWebhookSecrets: "userecho-hook-secret-0123456789", .userechoWebhookKey: "userecho-hook-key-1",
            .relayEndpoints: "https://fulfilment.example.com/hooks", .relaySecret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            .relayRetrySchedule: "1,2,3", .retentionEventsDays: "400", .retentionRelayDays: "14", .retentionQuarantineDays: "7",
            .providers: "gitlab",
        ]
        // Production needs its secrets and a client, so every run carries them.
        var environment = [
            "THINGBRIDGE_SESSION_KEYS": TestEnvironment.sessionKey, "THINGBRIDGE_WEBHOOK_SECRETS": TestEnvironment.webhookSecret,
            "THINGIVERSE_CLIENT_ID": "client-0", "THINGIVERSE_CLIENT_SECRET": "secret-0",
            "FLATTR_CLIENT_ID": "flattr-client-0", "FLATTR_CLIENT_SECRET": "flattr-secret-0",
            "USERECHO_URL": "https://forum0.example.com", "USERECHO_API_KEY": "userecho-key-0",
            "USERECHO_WEBHOOK_SECRETS": "userecho-hook-secret-0000000000",
            "THINGBRIDGE_RELAY_SECRET": "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
            // Read only when THINGBRIDGE_PROVIDERS names it.
            "GITLAB_CLIENT_ID": "gitlab-client", "GITLAB_CLIENT_SECRET": "gitlab-secret",
            "GITLAB_AUTHORIZE_URL": "https://gitlab.example.com/oauth/authorize", "GITLAB_TOKEN_URL": "https://gitlab.example.com/oauth/token",
            "GITLAB_USERINFO_URL": "https://gitlab.example.com/api/v4/user",
        ]
        let value = try #require(samples[key])
        environment[key.environmentName] = value
        let configuration = try await TestEnvironment.configuration(environment)
        let report = Dictionary(uniqueKeysWithValues: configuration.report())
        let shown = try #require(report[key.environmentName])
        if key.isSecret {
            #expect(!shown.contains(value), "check-config must not show \(key.environmentName)")
        } else {
            #expect(shown.contains(value), "\(key.environmentName) was not read: report shows \(shown)")
        }
    }

    @Test(arguments: [
        ("THINGBRIDGE_ENV", "staging"),
        ("THINGBRIDGE_PORT", "eighty"),
        ("THINGBRIDGE_PORT", "70000"),
        ("THINGBRIDGE_PUBLIC_URL", "ftp://example.com"),
        ("THINGBRIDGE_PUBLIC_URL", "example.com"),
        ("THINGBRIDGE_DATABASE_URL", "mysql://localhost/db"),
        ("THINGBRIDGE_DATABASE_URL", "postgres://"),
        ("THINGBRIDGE_SESSION_KEYS", "c2hvcnQ="),
        ("THINGBRIDGE_SESSION_KEYS", "not base64 at all!"),
        ("THINGBRIDGE_WEBHOOK_SECRETS", "short"),
        ("THINGBRIDGE_WEBHOOK_SECRETS", "has/a/slash/in/it/0123456789"),
        ("THINGBRIDGE_CORS_ORIGINS", "https://app.example.com/path"),
        ("THINGBRIDGE_CORS_ORIGINS", "*"),
        ("THINGBRIDGE_ADMIN_TOKEN", "short"),
        ("THINGBRIDGE_RATE_LIMIT", "300"),
        ("THINGBRIDGE_RATE_LIMIT", "0/300"),
        ("THINGBRIDGE_LOG_LEVEL", "loud"),
        ("THINGBRIDGE_IDLE_TIMEOUT", "0"),
        ("THINGBRIDGE_UPSTREAM_TIMEOUT", "soon"),
        ("THINGBRIDGE_SHUTDOWN_TIMEOUT", "-1"),
        ("THINGBRIDGE_WEBHOOK_GROUP_COMMIT", "maybe"),
        ("THINGBRIDGE_RETENTION_EVENTS_DAYS", "forever"),
        ("THINGBRIDGE_RETENTION_RELAY_DAYS", "-3"),
        ("THINGIVERSE_WEB_URL", "javascript:alert(1)"),
        ("THINGIVERSE_API_URL", "file:///etc/passwd"),
        ("FLATTR_WEB_URL", "ftp://flattr.com"),
        ("FLATTR_API_URL", "api.flattr.com"),
        ("FLATTR_SCOPES", "flattr admin"),
        ("FLATTR_RATE_LIMIT", "5000"),
        ("FLATTR_CLIENT_ID", "only-the-id"),
        ("FLATTR_CLIENT_SECRET", "only-the-secret"),
        ("USERECHO_URL", "ftp://forum.example.com"),
        ("USERECHO_URL", "https://only-the-forum.userecho.com"),
        ("USERECHO_SSO_KEY", "too-short"),
        ("USERECHO_WEBHOOK_SECRETS", "short"),
    ])
    func aBadSettingStopsTheStartNamingIt(setting: String, value: String) async throws {
        let error = await #expect(throws: ConfigurationError.self) {
            _ = try await TestEnvironment.configuration([setting: value])
        }
        // A client id alone names the missing secret, and the other way round.
        let named =
            ["FLATTR_CLIENT_ID": "FLATTR_CLIENT_SECRET", "FLATTR_CLIENT_SECRET": "FLATTR_CLIENT_ID"][setting]
            ?? (setting == "USERECHO_URL" && value.hasPrefix("https") ? "USERECHO_API_KEY" : setting)
        #expect(error?.setting == named)
        #expect(error?.problem.isEmpty == false)
    }

    @Test func aClientIDNeedsItsSecretAndTheOtherWayRound() async throws {
        let missingSecret = await #expect(throws: ConfigurationError.self) {
            _ = try await TestEnvironment.configuration(["THINGIVERSE_CLIENT_ID": "abc"])
        }
        #expect(missingSecret?.setting == "THINGIVERSE_CLIENT_SECRET")
        let missingID = await #expect(throws: ConfigurationError.self) {
            _ = try await TestEnvironment.configuration(["THINGIVERSE_CLIENT_SECRET": "abc"])
        }
        #expect(missingID?.setting == "THINGIVERSE_CLIENT_ID")
    }

    @Test func productionRequiresSessionKeysThenWebhookSecretsThenAClient() async throws {
        var environment = ["THINGBRIDGE_ENV": "production"]
        let noKeys = await #expect(throws: ConfigurationError.self) { _ = try await TestEnvironment.configuration(environment) }
        #expect(noKeys?.setting == "THINGBRIDGE_SESSION_KEYS")

        environment["THINGBRIDGE_SESSION_KEYS"] = TestEnvironment.sessionKey
        let noSecrets = await #expect(throws: ConfigurationError.self) { _ = try await TestEnvironment.configuration(environment) }
        #expect(noSecrets?.setting == "THINGBRIDGE_WEBHOOK_SECRETS")

        environment["THINGBRIDGE_WEBHOOK_SECRETS"] = TestEnvironment.webhookSecret
        let noClient = await #expect(throws: ConfigurationError.self) { _ = try await TestEnvironment.configuration(environment) }
        #expect(noClient?.setting == "THINGIVERSE_CLIENT_ID")

        environment["THINGIVERSE_CLIENT_ID"] = "my-app"
        environment["THINGIVERSE_CLIENT_SECRET"] = "my-secret"
        let configuration = try await TestEnvironment.configuration(environment)
        #expect(configuration.mode == .production)
        #expect(!configuration.usesSimulator)
        // Flattr without credentials is off in production: no simulator stands in.
        #expect(configuration.flattr == nil)
        #expect(!configuration.usesFlattrSimulator)
    }

    @Test func listsAreTrimmedAndOriginsNormalized() async throws {
        let configuration = try await TestEnvironment.configuration([
            "THINGBRIDGE_CORS_ORIGINS": " https://App.Example.com , http://localhost:3000,",
            "THINGBRIDGE_SESSION_KEYS": "\(TestEnvironment.sessionKey), \(TestEnvironment.sessionKey)",
        ])
        #expect(configuration.corsOrigins == ["https://app.example.com", "http://localhost:3000"])
        #expect(configuration.sessionKeys?.count == 2)
    }

    @Test func errorsAndReportsNeverContainSecretValues() async throws {
        let secrets = ["client-secret-value-123", "admin-token-value-12345", "app-token-value-1234", "pgpassword-987"]
        let configuration = try await TestEnvironment.configuration([
            "THINGIVERSE_CLIENT_ID": "id", "THINGIVERSE_CLIENT_SECRET": secrets[0],
            "THINGBRIDGE_ADMIN_TOKEN": secrets[1], "THINGIVERSE_APP_TOKEN": secrets[2],
            "THINGBRIDGE_DATABASE_URL": "postgres://tb:\(secrets[3])@localhost:5432/tb",
            "THINGBRIDGE_SESSION_KEYS": TestEnvironment.sessionKey, "THINGBRIDGE_WEBHOOK_SECRETS": TestEnvironment.webhookSecret,
        ])
        let printed = configuration.report().map { "\($0.setting) \($0.value)" }.joined(separator: "\n") + "\(configuration.database)"
        for secret in secrets + [TestEnvironment.sessionKey, TestEnvironment.webhookSecret] {
            #expect(!printed.contains(secret))
        }
        #expect(printed.contains("tb@localhost:5432/tb"))

        let error = await #expect(throws: ConfigurationError.self) {
            _ = try await TestEnvironment.configuration(["THINGBRIDGE_SESSION_KEYS": "secret-but-wrong-length"])
        }
        #expect(error.map { !$0.description.contains("secret-but-wrong-length") } == true)
    }

    @Test func environmentNamesFollowTheContract() {
        #expect(SettingKey.publicURL.environmentName == "THINGBRIDGE_PUBLIC_URL")
        #expect(SettingKey.clientID.environmentName == "THINGIVERSE_CLIENT_ID")
        #expect(SettingKey.webhookSecrets.environmentName == "THINGBRIDGE_WEBHOOK_SECRETS")
        #expect(SettingKey.mode.environmentName == "THINGBRIDGE_ENV")
    }
}
