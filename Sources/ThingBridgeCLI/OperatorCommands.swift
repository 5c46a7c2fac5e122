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
            say(
                applied.isEmpty
                    ? "Already at schema version \(migrator.latestVersion)."
                    : "Applied migrations \(applied.map(String.init).joined(separator: ", ")); now at version \(migrator.latestVersion).")
        } catch let error as StorageError {
            SettingsOptions.fail("THINGBRIDGE_DATABASE_URL: \(error.description)")
        }
    }
}

/// `thingbridge check-config`: prints the effective configuration with secrets redacted.
struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config", abstract: "Validate and print the effective configuration (secrets redacted).")

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

/// `thingbridge backup PATH`: a consistent copy of the SQLite store, taken while it serves.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the SQLite store to PATH while the server runs (a consistent snapshot; PostgreSQL: use pg_dump).",
        discussion: "Restore by stopping ThingBridge and putting the copy in place of the database file (removing its -wal and -shm files)."
    )

    @OptionGroup var settings: SettingsOptions
    @Argument(help: "Where to write the copy; an existing file there is replaced once the copy is complete.") var path: String

    func run() async throws {
        let configuration = try await settings.load()
        guard case .sqlite = configuration.database else {
            SettingsOptions.fail("THINGBRIDGE_DATABASE_URL: \(Database.BackupError.notSQLite.description)")
        }
        let database: Database
        do {
            database = try await Database.open(configuration.database, logger: Logger.thingbridge(level: .warning))
        } catch let error as StorageError {
            SettingsOptions.fail("THINGBRIDGE_DATABASE_URL: \(error.description)")
        }
        let started = ContinuousClock.now
        do {
            let bytes = try await database.backup(to: path)
            await database.shutdown()
            say("Backed up \(configuration.database) to \(path) (\(bytes) bytes in \(ContinuousClock.now - started)).")
        } catch let error as Database.BackupError {
            await database.shutdown()
            SettingsOptions.fail(error.description)
        }
    }
}
