import Configuration
import Foundation

/// One standard OAuth2 provider added by settings alone (`THINGBRIDGE_PROVIDERS=name` and the
/// `NAME_*` settings, or `providers.name` in the configuration file): CONTRACT.md,
/// "Configured providers".
public struct ConfiguredProviderSettings: Sendable {
    /// How the client proves who it is at the token endpoint.
    public enum ClientAuthentication: String, Sendable {
        /// HTTP Basic (RFC 6749 2.3.1).
        case basic
        /// `client_id` and `client_secret` in the form body.
        case post
    }

    public var id: ProviderID
    public var clientID: String
    public var clientSecret: Secret
    public var authorizeURL: String
    public var tokenURL: String
    public var userinfoURL: String
    /// Dotted paths of the account's id and name in the user-info JSON (`data.id`).
    public var userIDField: String
    public var userNameField: String
    /// The API base that `/api/name/...` forwards to; nil: sign-in only.
    public var apiURL: String?
    /// The endpoints forwarded, as `METHOD /path` lines (from the `NAME_ALLOW` file).
    public var allowList: [String]
    public var scopes: [String]
    public var clientAuthentication: ClientAuthentication
    public var pkce: Bool
    public var rateLimit: ThingBridgeConfiguration.RateLimit
    /// Fields joined (with a space) into the account's full name, and the field holding its
    /// avatar URL. Not settings: a provider's quirks set them (Flattr's `firstname lastname`, `avatar`).
    public var userFullNameFields: [String] = []
    public var userAvatarField: String?
    /// Development mode with none of its credentials and URLs set: the built-in generic OAuth2
    /// simulator stands in for it (below `/sim/oauth2/NAME`), as for the built-in providers.
    public var usesSimulator: Bool = false

    /// The `NAME_` prefix of its environment variables, e.g. `GITLAB_`.
    public var environmentPrefix: String { id.rawValue.uppercased() + "_" }
}

extension ConfiguredProviderSettings {
    /// A provider described in code as a configured one would be (Flattr): the generic path with its quirks.
    init(
        id: ProviderID, clientID: String, clientSecret: Secret, authorizeURL: String, tokenURL: String, userinfoURL: String,
        userIDField: String, userNameField: String, apiURL: String?, allowList: [String], scopes: [String],
        clientAuthentication: ClientAuthentication, pkce: Bool, rateLimit: ThingBridgeConfiguration.RateLimit
    ) {
        self.id = id
        (self.clientID, self.clientSecret) = (clientID, clientSecret)
        (self.authorizeURL, self.tokenURL, self.userinfoURL) = (authorizeURL, tokenURL, userinfoURL)
        (self.userIDField, self.userNameField, self.apiURL, self.allowList) = (userIDField, userNameField, apiURL, allowList)
        (self.scopes, self.clientAuthentication, self.pkce, self.rateLimit) = (scopes, clientAuthentication, pkce, rateLimit)
    }

    /// The fields of a configured provider, as keys below `NAME.` (environment `NAME_...`) or
    /// `providers.NAME.` in the configuration file.
    enum Field: String, CaseIterable {
        case clientID = "clientId"
        case clientSecret = "clientSecret"
        case authorizeURL = "authorizeUrl"
        case tokenURL = "tokenUrl"
        case userinfoURL = "userinfoUrl"
        case userIDField = "userIdField"
        case userNameField = "userNameField"
        case apiURL = "apiUrl"
        case allow = "allow"
        case scopes = "scopes"
        case clientAuth = "clientAuth"
        case pkce = "pkce"
        case rateLimit = "rateLimit"
        case displayName = "displayName"

        /// `CLIENT_ID`, as the environment spells it after `NAME_`.
        var environmentSuffix: String {
            var name = ""
            for character in rawValue {
                if character.isUppercase { name.append("_") }
                name.append(contentsOf: character.uppercased())
            }
            return name
        }
    }

    /// Reads and checks the settings of provider `name`.
    ///
    /// - Parameters:
    ///   - production: URLs must be https there, loopback addresses excepted.
    ///   - workingDirectory: resolves a relative allow-list path.
    /// - Throws: ``ConfigurationError`` naming the setting (and the allow-list file's line).
    init(name: String, reader: ConfigReader, production: Bool, workingDirectory: String) throws {
        let prefix = name.uppercased() + "_"
        func setting(_ field: Field) -> String { prefix + field.environmentSuffix }
        func invalid(_ field: Field, _ problem: String) -> ConfigurationError {
            ConfigurationError(setting: setting(field), problem: problem)
        }
        func value(_ field: Field) -> String? {
            let secret = field == .clientSecret
            for key in [ConfigKey([name, field.rawValue]), ConfigKey(["providers", name, field.rawValue])] {
                let text =
                    reader.string(forKey: key, isSecret: secret) ?? reader.int(forKey: key, isSecret: secret).map(String.init)
                    ?? reader.bool(forKey: key, isSecret: secret).map(String.init)
                if let trimmed = text?.trimmingCharacters(in: .whitespaces), !trimmed.isEmpty { return trimmed }
            }
            return nil
        }
        func required(_ field: Field) throws -> String {
            guard let text = value(field) else {
                throw invalid(field, "is required for the configured provider \(name) (THINGBRIDGE_PROVIDERS)")
            }
            return text
        }
        func url(_ field: Field) throws -> String? {
            guard var text = value(field) else { return nil }
            guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
                scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty, components.fragment == nil,
                components.user == nil
            else { throw invalid(field, "must be an http:// or https:// URL, not \"\(text)\"") }
            if production && scheme != "https" && !Self.isLoopback(host) {
                throw invalid(field, "must be an https:// URL in production (loopback addresses excepted)")
            }
            while text.hasSuffix("/") { text.removeLast() }
            return text
        }

        guard let id = ProviderID(configured: name, displayName: value(.displayName)) else {
            throw ConfigurationError(
                setting: SettingKey.providers.environmentName,
                problem: "\"\(name)\" is not a provider name: 2-20 lowercase letters and digits, starting with a letter, "
                    + "none of \((ProviderID.builtIn.map(\.rawValue) + ProviderID.reservedNames.sorted()).joined(separator: ", "))")
        }
        self.id = id
        let connection: [Field] = [.clientID, .clientSecret, .authorizeURL, .tokenURL, .userinfoURL]
        if !production && connection.allSatisfy({ value($0) == nil }) {
            // Filled in by development mode (DevelopmentSimulators), which runs the simulator.
            self.usesSimulator = true
            (clientID, clientSecret, authorizeURL, tokenURL, userinfoURL) = ("", Secret(""), "", "", "")
            (userIDField, userNameField, apiURL, allowList, scopes) = ("id", "name", nil, [], [])
            (clientAuthentication, pkce, rateLimit) = (.basic, true, .init(count: 300, seconds: 300))
            return
        }
        self.clientID = try required(.clientID)
        self.clientSecret = Secret(try required(.clientSecret))
        guard let authorize = try url(.authorizeURL) else { throw invalid(.authorizeURL, "is required for the configured provider \(name)") }
        guard let token = try url(.tokenURL) else { throw invalid(.tokenURL, "is required for the configured provider \(name)") }
        guard let userinfo = try url(.userinfoURL) else { throw invalid(.userinfoURL, "is required for the configured provider \(name)") }
        (authorizeURL, tokenURL, userinfoURL) = (authorize, token, userinfo)
        for field in [Field.authorizeURL, .tokenURL, .userinfoURL] where value(field)?.contains("#") == true {
            throw invalid(field, "must not have a fragment")
        }
        self.userIDField = value(.userIDField) ?? "id"
        self.userNameField = value(.userNameField) ?? "name"
        for field in [Field.userIDField, .userNameField] {
            let path = field == .userIDField ? userIDField : userNameField
            guard path.split(separator: ".", omittingEmptySubsequences: false).allSatisfy({ !$0.isEmpty }), path.utf8.count <= 100 else {
                throw invalid(field, "must be a field name or a dotted path such as data.id, not \"\(path)\"")
            }
        }
        self.apiURL = try url(.apiURL)
        if let apiURL, URLComponents(string: apiURL)?.query != nil {
            throw invalid(.apiURL, "must not have a query")
        }
        if let path = value(.allow) {
            let file = ThingBridgeConfiguration.absolute(path, in: workingDirectory)
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
                throw invalid(.allow, "the allow-list file \(file) cannot be read")
            }
            do {
                self.allowList = try AllowListFile.parse(text)
            } catch {
                throw invalid(.allow, "\(file) line \(error.line): \(error.problem)")
            }
            if apiURL == nil {
                throw invalid(.apiURL, "is required with \(setting(.allow)) (the API base that /api/\(name)/... forwards to)")
            }
        } else {
            self.allowList = []
        }
        self.scopes = (value(.scopes) ?? "").split(whereSeparator: { $0 == " " }).map(String.init)
        let authText = value(.clientAuth) ?? "basic"
        guard let authentication = ClientAuthentication(rawValue: authText.lowercased()) else {
            throw invalid(.clientAuth, "must be basic or post, not \"\(authText)\"")
        }
        self.clientAuthentication = authentication
        switch value(.pkce)?.lowercased() {
        case nil, "true", "1", "yes", "on": self.pkce = true
        case "false", "0", "no", "off": self.pkce = false
        case let other?: throw invalid(.pkce, "must be true or false, not \"\(other)\"")
        }
        let limit = value(.rateLimit) ?? "300/300"
        let parts = limit.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let count = Int(parts[0]), let seconds = Int(parts[1]), count > 0, seconds > 0 else {
            throw invalid(.rateLimit, "must be COUNT/SECONDS with positive numbers, e.g. 300/300, not \"\(limit)\"")
        }
        self.rateLimit = .init(count: count, seconds: seconds)
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }
}

/// The allow-list file of a configured provider: one `METHOD /path` a line, `{id}` one number,
/// `{name}` one text segment, `#` starts a comment, blank lines ignored.
enum AllowListFile {
    struct LineError: Error {
        let line: Int
        let problem: String
    }

    static let methods: Set<String> = ["GET", "POST", "PUT", "PATCH", "DELETE"]

    static func parse(_ text: String) throws(LineError) -> [String] {
        var lines: [String] = []
        // Swift reads CR LF as one Character, equal to neither "\n" nor "\r": a file saved with
        // Windows line ends is split on all three.
        let rawLines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        for (index, raw) in rawLines.enumerated() {
            let content = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let words = content.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if words.isEmpty { continue }
            guard words.count == 2 else { throw LineError(line: index + 1, problem: "expected METHOD /path, e.g. GET /user/{id}") }
            let method = String(words[0])
            guard methods.contains(method) else {
                throw LineError(line: index + 1, problem: "\(method) is not one of \(methods.sorted().joined(separator: ", "))")
            }
            let path = words[1]
            guard path.hasPrefix("/"), path.count > 1 else {
                throw LineError(line: index + 1, problem: "the path must start with / and name something")
            }
            for segment in path.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
                if segment.isEmpty { throw LineError(line: index + 1, problem: "the path has an empty segment (//) or ends with /") }
                if segment.hasPrefix("{") || segment.hasSuffix("}") || segment.contains("{") {
                    guard segment == "{id}" || segment == "{name}" else {
                        throw LineError(line: index + 1, problem: "\(segment) is not a parameter: {id} matches a number, {name} a text segment")
                    }
                    continue
                }
                guard segment != ".", segment != "..", EndpointAllowList.decode(segment) == String(segment),
                    segment.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "?") })
                else { throw LineError(line: index + 1, problem: "\(segment) is not a plain path segment") }
            }
            lines.append(method + " " + path)
        }
        return lines
    }
}
