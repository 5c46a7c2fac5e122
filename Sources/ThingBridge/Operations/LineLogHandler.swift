import Foundation
import Logging
import Synchronization

/// The server's log lines on standard output, one `write` each, in the layout of swift-log's
/// `StreamLogHandler` (`2026-12-02T07:03:14+0000 info thingbridge: key=value [ThingBridge] message`).
///
/// Made for the access log's rate: metadata set on a logger (the request id on every request)
/// is only merged when a line is written, the timestamp text is reused within a second, and a
/// line is written whole with one system call, with no stdio lock or flush.
public struct LineLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    let label: String
    let fileDescriptor: Int32

    /// - Parameter fileDescriptor: where lines go; standard output by default.
    public init(label: String, fileDescriptor: Int32 = STDOUT_FILENO) {
        self.label = label
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
        line.append(contentsOf: Self.clock.timestamp().utf8)
        line.append(UInt8(ascii: " "))
        line.append(contentsOf: event.level.rawValue.utf8)
        line.append(UInt8(ascii: " "))
        line.append(contentsOf: label.utf8)
        line.append(UInt8(ascii: ":"))
        for (key, value) in entries {
            line.append(UInt8(ascii: " "))
            line.append(contentsOf: key.utf8)
            line.append(UInt8(ascii: "="))
            if case .string(let text) = value {
                line.append(contentsOf: text.utf8)
            } else {
                line.append(contentsOf: value.description.utf8)
            }
        }
        line.append(contentsOf: " [".utf8)
        line.append(contentsOf: event.source.utf8)
        line.append(contentsOf: "] ".utf8)
        line.append(contentsOf: event.message.description.utf8)
        line.append(UInt8(ascii: "\n"))
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
