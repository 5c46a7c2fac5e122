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
        let crlf: [UInt8] = [0x0D, 0x0A]
        // A preamble comes before the first delimiter, an epilogue (after "--") after the last one.
        let sections = body.split(separator: delimiter, omittingEmptySubsequences: false)
        guard sections.count >= 3 else { return nil }
        var parts: [Part] = []
        for var part in sections.dropFirst().dropLast() {
            // The CRLF ending the delimiter line is not the part's, nor the one before the next delimiter.
            if part.starts(with: crlf) { part.removeFirst(2) }
            if part.count >= 2, part.suffix(2).elementsEqual(crlf) { part.removeLast(2) }
            guard let split = part.firstRange(of: crlf + crlf) else { return nil }
            let headerText = String(decoding: part[..<split.lowerBound], as: UTF8.self)
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
            parts.append(Part(name: name, filename: filename, contentType: contentType, bytes: Array(part[split.upperBound...])))
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
