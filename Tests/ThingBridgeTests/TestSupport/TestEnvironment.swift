import Configuration
import Foundation
import Logging
import Synchronization
import Testing

@testable import ThingBridge

/// Builds configurations, temporary folders and databases for tests. Every test gets its own.
enum TestEnvironment {
    /// The repository's `Public/` folder, found from this file so tests do not depend on the working directory.
    static let publicDirectory: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            let candidate = url.appendingPathComponent("Public/index.html")
            if FileManager.default.fileExists(atPath: candidate.path) {
                return url.appendingPathComponent("Public").path
            }
        }
        return "Public"
    }()

    static let sessionKey = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
    static let webhookSecret = "test-webhook-secret-0123456789"

    /// A new empty folder under the system's temporary directory.
    static func temporaryDirectory() -> String {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("thingbridge-test-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A configuration read exactly as the server reads it, from the given environment only.
    static func configuration(
        _ environment: [String: String] = [:],
        configFile: String? = nil,
        flags: [SettingKey: String] = [:]
    ) async throws -> ThingBridgeConfiguration {
        let reader = try await ThingBridgeConfiguration.makeReader(flags: flags, environment: environment, configFile: configFile)
        return try ThingBridgeConfiguration(reader: reader)
    }

    /// A ready-to-serve test configuration on port 0 with a temporary SQLite database.
    static func serverConfiguration(
        database: ThingBridgeConfiguration.DatabaseLocation? = nil,
        _ overrides: [String: String] = [:]
    ) async throws -> ThingBridgeConfiguration {
        let directory = temporaryDirectory()
        var environment = [
            "THINGBRIDGE_PORT": "0",
            "THINGBRIDGE_DATABASE_URL": "sqlite:\(directory)/thingbridge.sqlite",
            "THINGBRIDGE_PUBLIC_DIR": publicDirectory,
            "THINGBRIDGE_SESSION_KEYS": sessionKey,
            "THINGBRIDGE_WEBHOOK_SECRETS": webhookSecret,
            "THINGBRIDGE_LOG_LEVEL": "debug",
        ]
        if let database {
            environment["THINGBRIDGE_DATABASE_URL"] = database.urlForEnvironment
        }
        environment.merge(overrides) { $1 }
        return try await configuration(environment)
    }
}

extension ThingBridgeConfiguration.DatabaseLocation {
    var urlForEnvironment: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let url): url.value
        }
    }
}

/// A log handler that keeps every line in memory, so tests can check what was logged
/// without bootstrapping the global logging system.
final class CapturedLogs: Sendable {
    private let lines = Mutex<[String]>([])

    var all: String { lines.withLock { $0.joined(separator: "\n") } }

    func logger(level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: "test") { _ in CapturingHandler(logs: self) }
        logger.logLevel = level
        return logger
    }

    fileprivate func append(_ line: String) {
        lines.withLock { $0.append(line) }
    }

    private struct CapturingHandler: LogHandler {
        let logs: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            logs.append("\(event.level) \(event.message) \(merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
        }
    }
}
