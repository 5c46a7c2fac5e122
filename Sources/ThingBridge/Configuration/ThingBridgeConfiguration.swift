import Logging

/// Everything ThingBridge needs to know to start, parsed and validated.
///
/// Built from `Config/thingbridge.json`, the environment and command-line flags by
/// ``ThingBridgeConfiguration/init(reader:)``; tests build it directly with ``init(environment:)``.
public struct ThingBridgeConfiguration: Sendable {
    /// `development` runs the built-in simulator when no client id is set; `production` never does.
    public enum Mode: String, Sendable, CaseIterable {
        case development
        case production
    }

    /// Where state is kept.
    public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
        /// An embedded SQLite file, or `:memory:`.
        case sqlite(path: String)
        /// A PostgreSQL server; the URL may carry a password, so it is never printed whole.
        case postgres(url: Secret)

        public var description: String {
            switch self {
            case .sqlite(let path): "sqlite:\(path)"
            case .postgres(let url): "postgres://" + (PostgresURL.redacted(url.value) ?? "<invalid>")
            }
        }
    }

    /// Proxy budget per signed-in user: `count` requests per `seconds`.
    public struct RateLimit: Sendable, Equatable, CustomStringConvertible {
        public var count: Int
        public var seconds: Int
        public var description: String { "\(count)/\(seconds)" }
    }

    /// How ThingBridge reaches Thingiverse (or the simulator standing in for it).
    public struct Thingiverse: Sendable {
        public var clientID: String
        public var clientSecret: Secret
        public var webURL: String
        public var apiURL: String
        public var appToken: Secret?
    }

    public var mode: Mode
    public var host: String
    public var port: Int
    /// The URL people reach the app at, without a trailing slash.
    public var publicURL: String
    public var database: DatabaseLocation
    /// The folder where development keys and the default SQLite file live.
    public var dataDirectory: String
    /// Absolute path of the static web pages.
    public var publicDirectory: String
    /// Session keys; `nil` in development means "generate once and keep in the data folder".
    public var sessionKeys: [Secret]?
    /// Webhook URL secrets; `nil` in development means "generate once and keep in the data folder".
    public var webhookSecrets: [Secret]?
    public var corsOrigins: [String]
    public var adminUsers: [String]
    public var adminToken: Secret?
    public var rateLimit: RateLimit
    /// Thingiverse credentials and URLs; `nil` means the built-in simulator (development only).
    public var thingiverse: Thingiverse?
    /// Explicit `THINGIVERSE_WEB_URL` / `THINGIVERSE_API_URL`, kept even without a client id.
    public var thingiverseWebURL: String
    public var thingiverseAPIURL: String
    /// Standard OAuth2 providers added by settings alone (`THINGBRIDGE_PROVIDERS`), in the listed order.
    public var configuredProviders: [ConfiguredProviderSettings] = []
    /// The other built-in providers' own settings (``sectionTypes``), each read in its folder.
    var providerSections: [any ProviderSettingsSection]
    public var logLevel: Logger.Level
    /// How log lines are written: `text` (swift-log's layout) or `json` (one object per line).
    public var logFormat: LogFormat
    /// Seconds a connection may sit idle (or dribble a request) before the server closes it.
    public var idleTimeout: Int
    /// Seconds to wait for Thingiverse before answering 504.
    public var upstreamTimeout: Int
    /// Seconds to open a connection upstream or to a relay endpoint (a refused one fails at once).
    public var connectTimeout: Int
    /// Seconds between catch-up reads of the sessions other instances ended.
    public var revocationCatchup: Int
    /// Whether the proxy answers signed-in `GET`s on the event loop (``ProxyFastPath``).
    public var proxyFastPath: Bool
    /// Seconds in-flight requests get to finish on SIGTERM before the process stops anyway.
    public var shutdownTimeout: Int
    /// Whether concurrent webhook deliveries share one transaction (group commit).
    public var webhookGroupCommit: Bool
    /// Relay endpoints from `THINGBRIDGE_RELAY_ENDPOINTS` (more can be kept in the database).
    public var relayEndpoints: [String]
    /// Their `whsec_` secrets, the newest first (all sign while one rotates).
    public var relaySecrets: [Secret]
    /// Seconds between relay attempts: the first retry waits `relayRetrySchedule[0]`.
    public var relayRetrySchedule: [Int]
    /// How long events, finished relay deliveries and quarantined bodies are kept.
    public var retention: RetentionPolicy = .defaults

    /// The built-in simulator serves Thingiverse: development mode without a client id.
    public var usesSimulator: Bool { thingiverse == nil }

    /// The OAuth redirect URI registered with Thingiverse.
    public var redirectURI: String { publicURL + "/auth/callback" }

    /// Whether cookies get `Secure` and the `__Host-` prefix.
    public var isHTTPS: Bool { publicURL.hasPrefix("https://") }
}
