import Foundation

/// The file in an upload request: the first part with a `filename` of a `multipart/form-data`
/// body, or else the whole body (named by a `name` or `filename` parameter).
struct UserEchoUpload: Sendable {
    var name: String
    var contentType: String
    var bytes: [UInt8]

    /// `nil` when the request carries no file bytes.
    init?(input: RequestInput, fields: UserEchoFields) {
        if input.contentType.hasPrefix("multipart/form-data") {
            guard let boundary = Self.boundary(input.contentType),
                let part = Self.fileParts(input.body, boundary: boundary).first
            else { return nil }
            self = part
        } else {
            guard !input.body.isEmpty else { return nil }
            let name = (try? fields.string("filename")) ?? (try? fields.string("name"))
            self.init(
                name: name ?? "upload", contentType: input.contentType.isEmpty ? "application/octet-stream" : input.contentType,
                bytes: input.body)
        }
        guard !bytes.isEmpty else { return nil }
    }

    init(name: String, contentType: String, bytes: [UInt8]) {
        self.name = name
        self.contentType = contentType
        self.bytes = bytes
    }

    /// Whether the file is a picture, by its content type or its name.
    var isImage: Bool {
        let lowered = name.lowercased()
        return contentType.lowercased().hasPrefix("image/")
            || [".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"].contains { lowered.hasSuffix($0) }
    }

    private static func boundary(_ contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingSpaces }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                let value = pair[1].hasPrefix("\"") && pair[1].hasSuffix("\"") ? String(pair[1].dropFirst().dropLast()) : pair[1]
                return value.isEmpty ? nil : value
            }
        }
        return nil
    }

    /// The parts that have a `filename`, in body order.
    private static func fileParts(_ body: [UInt8], boundary: String) -> [UserEchoUpload] {
        // The content type reaches us lowercased; the body's first line has the boundary's real case.
        let firstLine = Array(body.prefix { $0 != 13 && $0 != 10 })
        let expected = Array("--\(boundary)".utf8)
        let delimiter = String(decoding: firstLine, as: UTF8.self).lowercased() == "--\(boundary)" ? firstLine : expected
        let headerEnd = Array("\r\n\r\n".utf8)
        var parts: [UserEchoUpload] = []
        var positions = occurrences(of: delimiter, in: body)
        guard positions.count >= 2 else { return [] }
        positions.append(body.count)
        for (start, end) in zip(positions, positions.dropFirst()) {
            let part = Array(body[(start + delimiter.count)..<end])
            guard let split = occurrences(of: headerEnd, in: part).first else { continue }
            let headers = String(decoding: part[..<split], as: UTF8.self)
            var content = Array(part[(split + headerEnd.count)...])
            if content.suffix(2) == [13, 10] { content.removeLast(2) }
            var name: String?
            var type = "application/octet-stream"
            for line in headers.split(whereSeparator: \.isNewline) {
                let lowered = line.lowercased()
                if lowered.hasPrefix("content-disposition:"), let range = line.range(of: "filename=\"") {
                    name = String(line[range.upperBound...].prefix { $0 != "\"" })
                } else if lowered.hasPrefix("content-type:") {
                    type = line.dropFirst("content-type:".count).trimmingSpaces
                }
            }
            if let name {
                parts.append(UserEchoUpload(name: name.isEmpty ? "upload" : name, contentType: type, bytes: content))
            }
        }
        return parts
    }

    private static func occurrences(of needle: [UInt8], in haystack: [UInt8]) -> [Int] {
        guard !needle.isEmpty, haystack.count >= needle.count else { return [] }
        var found: [Int] = []
        var index = 0
        while index <= haystack.count - needle.count {
            if haystack[index] == needle[0] && Array(haystack[index..<(index + needle.count)]) == needle {
                found.append(index)
                index += needle.count
            } else {
                index += 1
            }
        }
        return found
    }
}
