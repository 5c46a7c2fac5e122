import Foundation
import Logging
import Synchronization

/// How the server writes its log lines (`THINGBRIDGE_LOG_FORMAT`).
public enum LogFormat: String, Sendable, CaseIterable {
    /// swift-log's `StreamLogHandler` layout: `TIME LEVEL LABEL: key=value [SOURCE] message`.
    case text
    /// One JSON object per line: `time`, `level`, `label`, `source`, `message`, then the metadata.
    case json
}

/// The server's log lines on standard output, one `write` each, in the layout of swift-log's
/// `StreamLogHandler` (`2026-12-02T07:03:14+0000 info thingbridge: key=value [ThingBridge] message`)
/// or as one JSON object per line (``LogFormat/json``) with the same fields.
///
/// Made for the access log's rate: metadata set on a logger (the request id on every request)
/// is only merged when a line is written, the timestamp text is reused within a second, and a
/// line is written whole with one system call, with no stdio lock or flush.
public struct LineLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    /// Adds metadata from the task's context when a line is written (the trace and span ids
    /// while tracing); `nil` costs nothing.
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let format: LogFormat
    let fileDescriptor: Int32

    /// - Parameters:
    ///   - format: text lines or JSON objects.
    ///   - metadataProvider: metadata read from the task's context at each line (trace ids).
    ///   - fileDescriptor: where lines go; standard output by default.
    public init(label: String, format: LogFormat = .text, metadataProvider: Logger.MetadataProvider? = nil, fileDescriptor: Int32 = STDOUT_FILENO) {
        self.label = label
        self.format = format
        self.metadataProvider = metadataProvider
        self.fileDescriptor = fileDescriptor
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        // The logger's own metadata, then the line's (which wins on a shared key), sorted by key;
        // a few entries, so an array instead of a merged dictionary.
        var entries: [(key: String, value: Logger.MetadataValue)] = []
        entries.reserveCapacity(metadata.count + (event.metadata?.count ?? 0) + 1)
        for (key, value) in metadata where event.metadata?[key] == nil {
            entries.append((key, value))
        }
        if let provided = metadataProvider?.get() {
            for (key, value) in provided where event.metadata?[key] == nil && metadata[key] == nil {
                entries.append((key, value))
            }
        }
        if let explicit = event.metadata {
            for (key, value) in explicit { entries.append((key, value)) }
        }
        if let error = event.error {
            entries.removeAll { $0.key == "error.message" }
            entries.append(("error.message", .string("\(error)")))
        }
        entries.sort { $0.key < $1.key }

        var line: [UInt8] = []
        line.reserveCapacity(256)
        switch format {
        case .text: Self.appendText(event, entries: entries, label: label, to: &line)
        case .json: Self.appendJSON(event, entries: entries, label: label, to: &line)
        }
        line.withUnsafeBufferPointer { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(fileDescriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }

    private static func appendText(_ event: LogEvent, entries: [(key: String, value: Logger.MetadataValue)], label: String, to line: inout [UInt8]) {
        let start = line.count
        appendTextLayout(event, entries: entries, label: label, escaping: false, to: &line)
        // One scan of the finished line, in its own storage (the access line's values never hold
        // a control character): only a line that does is written again, escaped, so that one
        // event stays one line whatever it carries.
        if Self.holdsControlCharacter(line, from: start) {
            line.removeSubrange(start...)
            appendTextLayout(event, entries: entries, label: label, escaping: true, to: &line)
        }
        line.append(UInt8(ascii: "\n"))
    }

    /// Whether `line[start...]` holds a byte below 0x20 or 0x7F. Eight bytes a step (the access
    /// line is scanned on every request): a byte below 0x20 borrows in `word - 0x20...` while its
    /// top bit is clear, and 0x7F is the byte that XOR 0x7F makes zero. UTF-8's bytes from 0x80 have
    /// the top bit set and never count.
    static func holdsControlCharacter(_ line: [UInt8], from start: Int) -> Bool {
        line.withUnsafeBytes { raw in
            var index = start
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            while index + 8 <= raw.count {
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                let deleted = word ^ (ones &* 0x7F)
                if (word &- ones &* 0x20) & ~word & highs != 0 || (deleted &- ones) & ~deleted & highs != 0 {
                    return true
                }
                index += 8
            }
            return raw[index...].contains { $0 < 0x20 || $0 == 0x7F }
        }
    }

    private static func appendTextLayout(
        _ event: LogEvent, entries: [(key: String, value: Logger.MetadataValue)], label: String, escaping: Bool, to line: inout [UInt8]
    ) {
        line.append(contentsOf: Self.clock.timestamp().utf8)
        line.append(UInt8(ascii: " "))
        line.append(contentsOf: event.level.rawValue.utf8)
        line.append(UInt8(ascii: " "))
        line.append(contentsOf: label.utf8)
        line.append(UInt8(ascii: ":"))
        for (key, value) in entries {
            line.append(UInt8(ascii: " "))
            appendPart(key, escaping: escaping, to: &line)
            line.append(UInt8(ascii: "="))
            if case .string(let text) = value {
                appendPart(text, escaping: escaping, to: &line)
            } else {
                appendPart(value.description, escaping: escaping, to: &line)
            }
        }
        line.append(contentsOf: " [".utf8)
        appendPart(event.source, escaping: escaping, to: &line)
        line.append(contentsOf: "] ".utf8)
        appendPart(event.message.description, escaping: escaping, to: &line)
    }

    /// `text` as it is, or with each control character written as JSON writes it (`\n`, `\r`,
    /// `\t`, `\u00XX`).
    @inline(__always)
    private static func appendPart(_ text: String, escaping: Bool, to line: inout [UInt8]) {
        guard escaping else {
            line.append(contentsOf: text.utf8)
            return
        }
        for byte in text.utf8 where !JSONText.appendControl(byte, to: &line) {
            line.append(byte)
        }
    }

    /// The fields every JSON line starts with; metadata under one of these names is written
    /// as `metadata.NAME` so that no key appears twice.
    static let jsonFields: Set<String> = ["time", "level", "label", "source", "message"]

    private static func appendJSON(_ event: LogEvent, entries: [(key: String, value: Logger.MetadataValue)], label: String, to line: inout [UInt8]) {
        line.append(contentsOf: #"{"time":""#.utf8)
        line.append(contentsOf: Self.clock.timestamp().utf8)
        line.append(contentsOf: #"","level":""#.utf8)
        line.append(contentsOf: event.level.rawValue.utf8)
        line.append(contentsOf: #"","label":"#.utf8)
        JSONText.appendString(label, to: &line)
        line.append(contentsOf: #","source":"#.utf8)
        JSONText.appendString(event.source, to: &line)
        line.append(contentsOf: #","message":"#.utf8)
        JSONText.appendString(event.message.description, to: &line)
        for (key, value) in entries {
            line.append(UInt8(ascii: ","))
            JSONText.appendString(jsonFields.contains(key) ? "metadata." + key : key, to: &line)
            line.append(UInt8(ascii: ":"))
            JSONText.appendValue(value, to: &line)
        }
        line.append(contentsOf: "}\n".utf8)
    }

    private static let clock = TimestampCache()

    /// `strftime`'s text for the current second, made once per second.
    final class TimestampCache: Sendable {
        private let cached = Mutex<(second: Int, text: String)>((-1, ""))

        func timestamp() -> String {
            var now = time(nil)
            let second = Int(now)
            if let text = cached.withLock({ $0.second == second ? $0.text : nil }) { return text }
            var parts = tm()
            localtime_r(&now, &parts)
            var buffer = [Int8](repeating: 0, count: 32)
            let length = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &parts)
            let text = String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            cached.withLock { $0 = (second, text) }
            return text
        }
    }
}
