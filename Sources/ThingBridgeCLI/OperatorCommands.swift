import ArgumentParser
import Foundation
import Logging
import ThingBridge

/// `thingbridge migrate`: brings the configured database to this binary's schema.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply database migrations (also done at start).")

    @OptionGroup var settings: SettingsOptions

    func run() async throws {
        let configuration = try await settings.load()
        let logger = Logger.thingbridge(level: .warning)
        do {
            let database = try await Database.open(configuration.database, logger: logger)
            let migrator = Migrator(database: database)
            let applied: [Int]
            do {
                applied = try await migrator.migrate()
            } catch {
                await database.shutdown()
                throw error
            }
            await database.shutdown()
            say(applied.isEmpty ? "Already at schema version \(migrator.latestVersion)." : "Applied migrations \(applied.map(String.init).joined(separator: ", ")); now at version \(migrator.latestVersion).")
        } catch let error as StorageError {
            SettingsOptions.fail("THINGBRIDGE_DATABASE_URL: \(error.description)")
        }
    }
}

/// `thingbridge check-config`: prints the effective configuration with secrets redacted.
struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check-config", abstract: "Validate and print the effective configuration (secrets redacted).")

    @OptionGroup var settings: SettingsOptions

    func run() async throws {
        let configuration = try await settings.load()
        let rows = configuration.report()
        let width = rows.map(\.setting.count).max() ?? 0
        for row in rows {
            say(row.setting.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + row.value)
        }
        say("Configuration is valid.")
    }
}

/// `thingbridge keys generate`: prints a new session key for THINGBRIDGE_SESSION_KEYS.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "keys", abstract: "Session key tools.", subcommands: [Generate.self])

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "generate", abstract: "Print a new random 32-byte session key (base64).")

        func run() async throws {
            say(ThingBridgeConfiguration.generateSessionKey())
        }
    }
}
