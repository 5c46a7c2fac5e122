import ArgumentParser
import Configuration
import Foundation
import Logging
import ThingBridge

/// Flags shared by every command that reads the configuration. They override the environment,
/// which overrides `Config/thingbridge.json`.
struct SettingsOptions: ParsableArguments {
    @Option(help: "The JSON file with defaults.") var config: String = "Config/thingbridge.json"
    @Option(help: "Listen address (THINGBRIDGE_HOST).") var host: String?
    @Option(help: "Listen port (THINGBRIDGE_PORT).") var port: Int?
    @Option(help: "The URL people reach the app at (THINGBRIDGE_PUBLIC_URL).") var publicURL: String?
    @Option(help: "sqlite:PATH or postgres://user:pass@host:port/db (THINGBRIDGE_DATABASE_URL).") var databaseURL: String?
    @Option(help: "development or production (THINGBRIDGE_ENV).") var env: String?
    @Option(help: "trace, debug, info, notice, warning, error or critical (THINGBRIDGE_LOG_LEVEL).") var logLevel: String?

    var flags: [SettingKey: String] {
        var flags: [SettingKey: String] = [:]
        flags[.host] = host
        flags[.port] = port.map(String.init)
        flags[.publicURL] = publicURL
        flags[.databaseURL] = databaseURL
        flags[.mode] = env
        flags[.logLevel] = logLevel
        return flags
    }

    /// The validated configuration, or an exit with one line naming the bad setting.
    func load() async throws -> ThingBridgeConfiguration {
        do {
            let explicitFile = CommandLine.arguments.contains { $0 == "--config" || $0.hasPrefix("--config=") }
            let reader = try await ThingBridgeConfiguration.makeReader(flags: flags, configFile: config, configFileRequired: explicitFile)
            return try ThingBridgeConfiguration(reader: reader)
        } catch let error as ConfigurationError {
            Self.fail(error.description)
        } catch {
            Self.fail("the configuration file \(config) cannot be read: \(error)")
        }
    }

    /// Prints `thingbridge: MESSAGE` on standard error and exits with EX_CONFIG (78).
    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("thingbridge: \(message)\n".utf8))
        Foundation.exit(78)
    }
}

extension Logger {
    static func thingbridge(level: Logger.Level) -> Logger {
        var logger = Logger(label: "thingbridge")
        logger.logLevel = level
        return logger
    }
}
