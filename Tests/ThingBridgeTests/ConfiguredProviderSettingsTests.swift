import Foundation
import Testing

@testable import ThingBridge

/// Reading a configured provider's settings: from the environment or the file's `providers.NAME`,
/// with one clear line naming what is wrong.
@Suite struct ConfiguredProviderSettingsTests {
    static let minimal = [
        "THINGBRIDGE_PROVIDERS": "gitlab",
        "GITLAB_CLIENT_ID": "gitlab-client", "GITLAB_CLIENT_SECRET": "gitlab-secret-value",
        "GITLAB_AUTHORIZE_URL": "https://gitlab.example.com/oauth/authorize",
        "GITLAB_TOKEN_URL": "https://gitlab.example.com/oauth/token",
        "GITLAB_USERINFO_URL": "https://gitlab.example.com/api/v4/user",
    ]

    @Test func theEnvironmentAddsAProviderWithTheContractsDefaults() async throws {
        let configuration = try await TestEnvironment.configuration(Self.minimal)
        let provider = try #require(configuration.configuredProviders.first)
        #expect(provider.id.rawValue == "gitlab")
        #expect(provider.id.displayName == "gitlab")
        #expect(provider.clientAuthentication == .basic)
        #expect(provider.pkce)
        #expect(provider.rateLimit == .init(count: 300, seconds: 300))
        #expect(provider.userIDField == "id" && provider.userNameField == "name")
        #expect(provider.apiURL == nil && provider.allowList.isEmpty)
        let report = Dictionary(uniqueKeysWithValues: configuration.report())
        #expect(report["GITLAB_CLIENT_SECRET"] == "<redacted>")
        #expect(!configuration.report().contains { $0.value.contains("gitlab-secret-value") })
    }

    @Test func theConfigurationFileMayHoldItUnderProviders() async throws {
        let directory = TestEnvironment.temporaryDirectory()
        try "GET /user\nGET /projects/{id}   # one project\n\nGET /users/{name}/projects\n".write(
            toFile: directory + "/gitlab.allow", atomically: true, encoding: .utf8)
        let file = directory + "/config.json"
        try """
        {"thingbridge": {"providers": ["gitlab"]},
         "providers": {"gitlab": {"clientId": "file-client", "clientSecret": "file-secret", "authorizeUrl": "https://gitlab.example.com/oauth/authorize",
           "tokenUrl": "https://gitlab.example.com/oauth/token", "userinfoUrl": "https://gitlab.example.com/api/v4/user",
           "apiUrl": "https://gitlab.example.com/api/v4", "allow": "\(directory)/gitlab.allow", "clientAuth": "post", "pkce": false,
           "rateLimit": "100/60", "displayName": "GitLab", "userNameField": "username", "scopes": "read_user api"}}}
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let configuration = try await TestEnvironment.configuration([:], configFile: file)
        let provider = try #require(configuration.configuredProviders.first)
        #expect(provider.clientID == "file-client")
        #expect(provider.id.displayName == "GitLab")
        #expect(provider.allowList == ["GET /user", "GET /projects/{id}", "GET /users/{name}/projects"])
        #expect(provider.clientAuthentication == .post)
        #expect(!provider.pkce)
        #expect(provider.scopes == ["read_user", "api"])
        #expect(provider.rateLimit == .init(count: 100, seconds: 60))
        // The environment overrides the file.
        let overridden = try await TestEnvironment.configuration(["GITLAB_CLIENT_ID": "env-client"], configFile: file)
        #expect(overridden.configuredProviders.first?.clientID == "env-client")
    }

    @Test(arguments: [
        (["THINGBRIDGE_PROVIDERS": "flattr"], "THINGBRIDGE_PROVIDERS"),
        (["THINGBRIDGE_PROVIDERS": "login"], "THINGBRIDGE_PROVIDERS"),
        (["THINGBRIDGE_PROVIDERS": "Git_Lab"], "THINGBRIDGE_PROVIDERS"),
        (["THINGBRIDGE_PROVIDERS": "gitlab,gitlab"], "THINGBRIDGE_PROVIDERS"),
        (["GITLAB_CLIENT_ID": ""], "GITLAB_CLIENT_ID"),
        (["GITLAB_TOKEN_URL": "ftp://gitlab.example.com/token"], "GITLAB_TOKEN_URL"),
        (["GITLAB_CLIENT_AUTH": "jwt"], "GITLAB_CLIENT_AUTH"),
        (["GITLAB_PKCE": "maybe"], "GITLAB_PKCE"),
        (["GITLAB_RATE_LIMIT": "many"], "GITLAB_RATE_LIMIT"),
        (["GITLAB_USER_ID_FIELD": "data..id"], "GITLAB_USER_ID_FIELD"),
        (["GITLAB_ALLOW": "/nonexistent/allow.txt", "GITLAB_API_URL": "https://gitlab.example.com/api"], "GITLAB_ALLOW"),
    ])
    func aBadSettingStopsTheStartNamingIt(overrides: [String: String], setting: String) async throws {
        var environment = Self.minimal
        environment.merge(overrides) { $1 }
        environment = environment.filter { !$0.value.isEmpty }
        do {
            _ = try await TestEnvironment.configuration(environment)
            Issue.record("\(overrides) was accepted")
        } catch let error as ConfigurationError {
            #expect(error.setting == setting)
            #expect(!error.problem.contains("gitlab-secret-value"))
        }
    }

    @Test func anAllowListFileWithWindowsLineEndsReadsLikeOneWithUnixOnes() throws {
        let unix = "GET /user\n# a comment\nGET /projects/{id}   # one project\n\nGET /users/{name}/projects\n"
        let windows = unix.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(try AllowListFile.parse(windows) == ["GET /user", "GET /projects/{id}", "GET /users/{name}/projects"])
        #expect(try AllowListFile.parse(windows) == AllowListFile.parse(unix))
        do {
            _ = try AllowListFile.parse("GET /user\r\n\r\nFETCH /projects\r\n")
            Issue.record("FETCH was accepted")
        } catch {
            #expect(error.line == 3)
        }
    }

    @Test func aBadAllowListLineIsNamedWithItsLineNumber() async throws {
        let directory = TestEnvironment.temporaryDirectory()
        try "GET /user\n# fine\nFETCH /projects\n".write(toFile: directory + "/a.allow", atomically: true, encoding: .utf8)
        try "GET /user\nGET /projects/{project}\n".write(toFile: directory + "/b.allow", atomically: true, encoding: .utf8)
        try "GET /user/../admin\n".write(toFile: directory + "/c.allow", atomically: true, encoding: .utf8)
        for (file, line) in [("a.allow", "line 3"), ("b.allow", "line 2"), ("c.allow", "line 1")] {
            var environment = Self.minimal
            environment["GITLAB_ALLOW"] = directory + "/" + file
            environment["GITLAB_API_URL"] = "https://gitlab.example.com/api/v4"
            do {
                _ = try await TestEnvironment.configuration(environment)
                Issue.record("\(file) was accepted")
            } catch let error as ConfigurationError {
                #expect(error.setting == "GITLAB_ALLOW")
                #expect(error.problem.contains(line), "\(error)")
            }
        }
    }

    @Test func productionRefusesPlainHTTPExceptOnLoopback() async throws {
        var environment = Self.minimal
        environment.merge([
            "THINGBRIDGE_ENV": "production", "THINGBRIDGE_SESSION_KEYS": TestEnvironment.sessionKey,
            "THINGBRIDGE_WEBHOOK_SECRETS": TestEnvironment.webhookSecret, "THINGIVERSE_CLIENT_ID": "c", "THINGIVERSE_CLIENT_SECRET": "s",
        ]) { $1 }
        environment["GITLAB_TOKEN_URL"] = "http://gitlab.example.com/oauth/token"
        await #expect(throws: ConfigurationError.self) { try await TestEnvironment.configuration(environment) }
        environment["GITLAB_TOKEN_URL"] = "http://127.0.0.1:9000/oauth/token"
        let configuration = try await TestEnvironment.configuration(environment)
        #expect(configuration.configuredProviders.first?.tokenURL == "http://127.0.0.1:9000/oauth/token")
    }
}
