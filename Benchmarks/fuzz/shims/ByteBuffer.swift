// Stands in for NIOCore's ByteBuffer in targets that do not link SwiftNIO: the extracted code
// reads a buffer only through `readableBytes`, `readableBytesView` and `String(buffer:)`, and
// writes to its end, which NIO defines as the bytes themselves and `String(decoding:as: UTF8.self)`.
struct ByteBuffer: Sendable {
    var readableBytesView: [UInt8]

    init(bytes: [UInt8]) {
        readableBytesView = bytes
    }

    init(string: String) {
        readableBytesView = Array(string.utf8)
    }

    var readableBytes: Int { readableBytesView.count }

    @discardableResult
    mutating func writeString(_ string: String) -> Int {
        readableBytesView += string.utf8
        return string.utf8.count
    }

    @discardableResult
    mutating func writeBytes(_ bytes: some Sequence<UInt8>) -> Int {
        let before = readableBytesView.count
        readableBytesView += bytes
        return readableBytesView.count - before
    }
}

extension String {
    init(buffer: ByteBuffer) {
        self.init(decoding: buffer.readableBytesView, as: UTF8.self)
    }
}
