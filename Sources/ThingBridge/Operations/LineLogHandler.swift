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
        var line = Self.clock.timestamp()
        line += " "
        line += event.level.rawValue
        line += " "
        line += label
        line += ":"
        var merged = metadata
        if let explicit = event.metadata { merged.merge(explicit) { $1 } }
        if let error = event.error { merged["error.message"] = .string("\(error)") }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            line += " "
            line += key
            line += "="
            line += value.description
        }
        line += " ["
        line += event.source
        line += "] "
        line += event.message.description
        line += "\n"
        line.withUTF8 { buffer in
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
