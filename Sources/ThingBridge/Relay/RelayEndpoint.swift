import Crypto
import Foundation

/// One of the app's own services that relayed events go to.
public struct RelayEndpoint: Sendable, Equatable {
    /// `ep_...` for endpoints added through the admin API or CLI, `cfg_...` (from the URL) for
    /// those of `THINGBRIDGE_RELAY_ENDPOINTS`.
    public var id: String
    public var url: String
    public var types: RelayTypeFilter
    /// Whether it comes from `THINGBRIDGE_RELAY_ENDPOINTS` (and signs with `THINGBRIDGE_RELAY_SECRET`).
    public var configured: Bool
    public var createdAt: Date
    /// Set when the endpoint answered `410 Gone`, or left the configuration: nothing new is queued
    /// for it and nothing is sent until a retry or replay enables it again.
    public var disabledAt: Date?
    public var disabledReason: String?
    /// While a rotated secret still signs beside the new one.
    public var previousSecretUntil: Date?

    /// Whether `url` is something the relay may post to: an absolute `http(s)` URL with a host
    /// and no fragment.
    public static func isDeliverable(_ url: String) -> Bool {
        guard url.utf8.count <= 2048, let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty, components.fragment == nil
        else { return false }
        return true
    }

    /// The URL without what may hold a credential (user info, the query), for reports.
    public static func displayURL(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "(not a URL)" }
        let hidden = components.user != nil || components.password != nil || components.query != nil
        components.user = nil
        components.password = nil
        components.query = nil
        return (components.string ?? "(not a URL)") + (hidden ? " (credentials hidden)" : "")
    }

    /// The stable id of a configured endpoint: the same URL gets the same id on every instance
    /// and every start, so its deliveries carry on.
    public static func configuredID(url: String) -> String {
        "cfg_" + Hex.encode(SHA256.hash(data: Data(url.utf8)).prefix(8))
    }

    /// A new random id for an endpoint kept in the database.
    static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        return "ep_" + Hex.encode((0..<8).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }
}

/// Which event types an endpoint gets: exact types (`thingiverse.order.created`), prefixes
/// ending in `.*` (`thingiverse.order.*`), or `*` for everything.
public struct RelayTypeFilter: Sendable, Equatable, CustomStringConvertible {
    public let patterns: [String]

    public static let everything = RelayTypeFilter(validated: ["*"])

    /// Why a filter cannot be used.
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// - Parameter patterns: at least one; an empty list means everything.
    public init(_ patterns: [String]) throws(Invalid) {
        let cleaned = patterns.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard cleaned.count <= 50 else { throw Invalid(description: "an endpoint takes at most 50 type filters") }
        for pattern in cleaned {
            let body = pattern.hasSuffix(".*") ? pattern.dropLast(2) : Substring(pattern)
            let allowed = pattern == "*" || (!body.isEmpty && body.utf8.count <= 100 && body.utf8.allSatisfy(Self.typeBytes.contains))
            guard allowed else {
                throw Invalid(
                    description:
                        "a type filter is a type such as thingiverse.order.created, a prefix such as thingiverse.order.*, or *; not \"\(pattern)\"")
            }
        }
        self.patterns = cleaned.isEmpty ? ["*"] : cleaned
    }

    private static let typeBytes = Set("abcdefghijklmnopqrstuvwxyz0123456789._-".utf8)

    private init(validated: [String]) {
        self.patterns = validated
    }

    /// Reads the stored form (space-separated).
    init(stored: String) {
        let patterns = stored.split(separator: " ").map(String.init)
        self.patterns = patterns.isEmpty ? ["*"] : patterns
    }

    var stored: String { patterns.joined(separator: " ") }

    public var description: String { patterns.joined(separator: ",") }

    public func matches(_ type: String) -> Bool {
        patterns.contains { pattern in
            if pattern == "*" { return true }
            if pattern.hasSuffix(".*") { return type.hasPrefix(pattern.dropLast()) }
            return type == pattern
        }
    }
}
