import Hummingbird

/// The requests a simulator has seen, for its `requestLog()` and `requestCount(path:)`: the most
/// recent ones, and how many reached each path (never trimmed).
struct RequestLog: Sendable {
    /// The most recent requests, oldest first (between 10,000 and 20,000 of them).
    private(set) var entries: [LoggedRequest] = []
    /// Requests per normalized path, under each of the names they were recorded with.
    private var counts: [String: Int] = [:]

    /// Notes `entry` under its full path, its path below the mount prefix and `otherNames`
    /// (UserEcho's API command, e.g. `/forums/1/topics.json`).
    mutating func record(_ entry: LoggedRequest, otherNames: [String] = []) {
        entries.appendKeepingRecent(entry)
        let names = Set(([entry.path, entry.relativePath] + otherNames).map(Self.normalized))
        for name in names {
            counts[name, default: 0] += 1
        }
    }

    /// How many requests reached `path` (full, or below the prefix; the query string and a
    /// trailing slash are ignored).
    func count(path: String) -> Int {
        counts[Self.normalized(path)] ?? 0
    }

    /// Every request kept, as `"METHOD /full/path"` (with the redacted query where one was kept).
    var lines: [String] { entries.map(\.line) }

    /// A path without its query and trailing slashes, starting with `/`.
    static func normalized(_ path: String) -> String {
        let withoutQuery = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let trimmed = String(withoutQuery).mountPrefix
        return trimmed.isEmpty ? "/" : trimmed
    }
}

/// One request as seen by a simulator, for `requestLog()` and `requestCount(path:)`.
struct LoggedRequest: Sendable {
    var method: String
    /// The full request path (with the mount prefix), without the query string.
    var path: String
    /// The path below the web or API prefix, e.g. `/login/oauth/access_token` or `/users/me`.
    var relativePath: String
    /// The query with its secrets redacted, for simulators whose log shows queries (UserEcho).
    var redactedQuery: String?

    /// `METHOD /full/path`, or `METHOD /full/path?query` when a query was kept.
    var line: String {
        guard let redactedQuery, !redactedQuery.isEmpty else { return "\(method) \(path)" }
        return "\(method) \(path)?\(redactedQuery)"
    }
}

extension LoggedRequest {
    /// The request as it arrived at a simulator mounted at `prefix`.
    init(_ request: Request, prefix: String, redactedQuery: String? = nil) {
        let path = request.uri.path
        let relative = path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
        self.init(method: request.method.rawValue, path: path, relativePath: relative.isEmpty ? "/" : relative, redactedQuery: redactedQuery)
    }
}

extension Array {
    /// Appends `element`; once twice `keptAtLeast` are kept, drops the oldest `keptAtLeast`, so
    /// that a long-running simulator's logs stay small.
    mutating func appendKeepingRecent(_ element: Element, keptAtLeast: Int = 10_000) {
        append(element)
        if count >= 2 * keptAtLeast {
            removeFirst(keptAtLeast)
        }
    }
}
