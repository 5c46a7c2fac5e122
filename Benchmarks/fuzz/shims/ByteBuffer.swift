// Stands in for NIOCore's ByteBuffer in targets that do not link SwiftNIO: the extracted code
// reads a buffer only through `readableBytesView` and `String(buffer:)`, which NIO defines as
// the bytes themselves and `String(decoding:as: UTF8.self)`.
struct ByteBuffer: Sendable {
    var readableBytesView: [UInt8]

    init(bytes: [UInt8]) {
        readableBytesView = bytes
    }

    init(string: String) {
        readableBytesView = Array(string.utf8)
    }
}

extension String {
    init(buffer: ByteBuffer) {
        self.init(decoding: buffer.readableBytesView, as: UTF8.self)
    }
}
