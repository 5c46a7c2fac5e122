import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// A provider's answer as the one way out classifies it; callers switch over it.
///
/// What an answer is comes from its body, not its `Content-Type`: providers serve forms and
/// JSON as `text/html` (PHP's default), so only markup is a web page.
public enum UpstreamReply<Body: Sendable>: Sendable {
    /// Data (JSON, a form, or nothing) with any status but 429.
    case answer(UpstreamAnswer<Body>)
    /// The provider's own rate limit; `retryAfter` in seconds when it said (seconds or an HTTP date).
    case rateLimited(retryAfter: Int?, UpstreamAnswer<Body>)
    /// Markup where data belongs (a CDN challenge, an error page), whatever the status.
    case webPage(status: Int)
}

/// A status, headers and a body from a provider.
public struct UpstreamAnswer<Body: Sendable>: Sendable {
    public let status: Int
    public let headers: HTTPHeaders
    public let body: Body
}

/// A proxied body: the bytes already read (all of it for a small answer, the first part of a
/// large one) and the rest still streaming from the provider.
public struct StreamingBody: Sendable {
    public let head: ByteBuffer
    let rest: RemainingBody?
}

/// The rest of a streaming body, after its first part was read to judge it.
///
/// `@unchecked Sendable`: AHC's iterator is not `Sendable` because two tasks must not pull from
/// it at once. This box is handed from the task that read the first part to the response
/// writer, which then is its only user: it is never read from two tasks, only passed between them.
final class RemainingBody: @unchecked Sendable {
    private var iterator: HTTPClientResponse.Body.AsyncIterator

    init(_ iterator: HTTPClientResponse.Body.AsyncIterator) {
        self.iterator = iterator
    }

    func next() async throws -> ByteBuffer? {
        try await iterator.next()
    }
}

/// How a body's first bytes are read.
enum ReplyBody {
    /// Whether the body is markup: its first byte after whitespace (and a UTF-8 byte order mark)
    /// is `<`. JSON, forms and empty bodies never start that way.
    static func isMarkup(_ buffer: ByteBuffer) -> Bool {
        var skippedMark = false
        for (offset, byte) in buffer.readableBytesView.enumerated() {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                continue
            case 0xEF, 0xBB,
                0xBF where !skippedMark && offset < 3:
                if byte == 0xBF { skippedMark = true }
                continue
            default:
                return byte == UInt8(ascii: "<")
            }
        }
        return false
    }
}

/// `Retry-After` as seconds: a number, or an HTTP date turned into the seconds until then.
enum RetryAfter {
    static func seconds(_ value: String?, now: Date = Date()) -> Int? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Int(value) { return max(0, seconds) }
        guard let date = httpDate.withLock({ $0.date(from: value) }) else { return nil }
        return max(0, Int(date.timeIntervalSince(now).rounded(.up)))
    }

    private static let httpDate = Mutex<DateFormatter>(
        {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
            return formatter
        }())
}
