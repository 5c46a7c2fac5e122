/// A `multipart/form-data` body (RFC 7578) split into its parts, as a storage endpoint reads
/// an upload form: text fields and one file.
struct MultipartForm: Sendable {
    /// One part: its field name, the file name if it is a file, and its bytes.
    struct Part: Sendable {
        var name: String
        var filename: String?
        var contentType: String?
        var bytes: [UInt8]

        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    var parts: [Part]

    /// The text of the first field called `name`.
    func field(_ name: String) -> String? {
        parts.first { $0.name == name }?.text
    }

    /// Parses `body` with the boundary from `contentType`; `nil` when it is not a well-formed form.
    init?(body: [UInt8], contentType: String) {
        guard contentType.lowercased().hasPrefix("multipart/form-data"),
            let boundary = Self.parameter("boundary", in: contentType), !boundary.isEmpty
        else { return nil }
        let delimiter = Array("--\(boundary)".utf8)
        var positions: [Int] = []
        var searchFrom = 0
        while let found = body[searchFrom...].firstRange(of: delimiter)?.lowerBound {
            positions.append(found)
            searchFrom = found + delimiter.count
        }
        guard positions.count >= 2 else { return nil }
        var parts: [Part] = []
        for (start, end) in zip(positions, positions.dropFirst()) {
            var partStart = start + delimiter.count
            // Skip the CRLF after the delimiter line; the CRLF before the next one belongs to it.
            if body[partStart...].starts(with: [0x0D, 0x0A]) { partStart += 2 }
            var partEnd = end
            if partEnd - 2 >= partStart, body[partEnd - 2] == 0x0D, body[partEnd - 1] == 0x0A { partEnd -= 2 }
            guard partStart <= partEnd else { return nil }
            let part = Array(body[partStart..<partEnd])
            guard let split = part.firstRange(of: [0x0D, 0x0A, 0x0D, 0x0A])?.lowerBound else { return nil }
            let headerText = String(decoding: part[..<split], as: UTF8.self)
            var name: String?
            var filename: String?
            var contentType: String?
            for line in headerText.split(separator: "\r\n") {
                let pieces = line.split(separator: ":", maxSplits: 1)
                guard pieces.count == 2 else { continue }
                let header = pieces[0].lowercased()
                let value = String(pieces[1]).trimmingWhitespace
                if header == "content-disposition" {
                    name = Self.parameter("name", in: value)
                    filename = Self.parameter("filename", in: value)
                } else if header == "content-type" {
                    contentType = value
                }
            }
            guard let name else { return nil }
            parts.append(Part(name: name, filename: filename, contentType: contentType, bytes: Array(part[(split + 4)...])))
        }
        self.parts = parts
    }

    /// `name=value` or `name="value"` from a header value such as `form-data; name="key"`.
    static func parameter(_ name: String, in header: String) -> String? {
        for item in header.split(separator: ";").dropFirst() {
            let pair = item.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingWhitespace.lowercased() == name else { continue }
            var value = pair[1].trimmingWhitespace
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast())
            }
            return value
        }
        return nil
    }
}
