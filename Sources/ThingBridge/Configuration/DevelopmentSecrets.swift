import Crypto
import Foundation

/// Session keys and webhook secrets for development, made once and kept in the data folder so
/// sessions and the webhook URL survive restarts. Production requires them to be configured.
enum DevelopmentSecrets {
    struct Stored: Codable {
        var sessionKey: String
        var webhookSecret: String
        /// Added in the second release; files written before have none (one is made per start).
        var userechoWebhookSecret: String?
    }

    /// Loads `development-secrets.json` from `directory`, creating it (mode 0600) on first use.
    /// With `directory == nil` (an in-memory database) the secrets live only as long as the process.
    static func loadOrCreate(in directory: String?) throws -> Stored {
        guard let directory else { return make() }
        let path = (directory as NSString).appendingPathComponent("development-secrets.json")
        if let data = FileManager.default.contents(atPath: path), let stored = try? JSONDecoder().decode(Stored.self, from: data) {
            return stored
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let stored = make()
        let data = try JSONEncoder().encode(stored)
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw ConfigurationError(setting: SettingKey.dataDirectory.environmentName, problem: "cannot write \(path)")
        }
        return stored
    }

    static func make() -> Stored {
        Stored(sessionKey: newSessionKey(), webhookSecret: randomToken(bytes: 24), userechoWebhookSecret: randomToken(bytes: 24))
    }

    /// A new random 32-byte session key in base64 (what `thingbridge keys generate` prints).
    static func newSessionKey() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }
}

/// Random URL-safe text from the system's secure generator.
package func randomToken(bytes count: Int) -> String {
    var generator = SystemRandomNumberGenerator()
    let bytes = (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    return Base64URL.encode(bytes)
}

extension ThingBridgeConfiguration {
    /// A new session key for `thingbridge keys generate`.
    public static func generateSessionKey() -> String {
        DevelopmentSecrets.newSessionKey()
    }
}
