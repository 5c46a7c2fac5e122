/// A ZIP archive of stored (uncompressed) entries, for `GET /things/{id}/package-url`'s
/// package: every file of the thing, readable by `unzip` and any archive tool.
enum ZipArchive {
    /// The archive holding `entries` (name, bytes), all dated 2016-01-01.
    static func make(_ entries: [(name: String, bytes: [UInt8])]) -> [UInt8] {
        var output: [UInt8] = []
        var directory: [UInt8] = []
        let dosTime: UInt16 = 0
        let dosDate: UInt16 = UInt16((2016 - 1980) << 9 | 1 << 5 | 1)
        for entry in entries {
            let name = Array(entry.name.utf8)
            let crc = PNGEncoder.crc32(entry.bytes)
            let size = UInt32(entry.bytes.count)
            let offset = UInt32(output.count)
            // What the local header and the central directory share: version needed, UTF-8 names,
            // stored, time, date, CRC, both sizes, name length, no extra field.
            var common: [UInt8] = []
            for value in [20, 0x0800, 0, dosTime, dosDate] as [UInt16] { common.appendLittleEndian(value) }
            for value in [crc, size, size] { common.appendLittleEndian(value) }
            common.appendLittleEndian(UInt16(name.count))
            common.appendLittleEndian(UInt16(0))
            output.appendLittleEndian(UInt32(0x0403_4B50))
            output += common + name + entry.bytes

            directory.appendLittleEndian(UInt32(0x0201_4B50))
            directory.appendLittleEndian(UInt16(20))  // made by
            directory += common
            for value in [0, 0, 0] as [UInt16] { directory.appendLittleEndian(value) }  // comment, disk, internal attributes
            directory.appendLittleEndian(UInt32(0))  // external attributes
            directory.appendLittleEndian(offset)
            directory += name
        }
        let directoryOffset = UInt32(output.count)
        output += directory
        output.appendLittleEndian(UInt32(0x0605_4B50))
        // disk numbers, then the entry counts on this disk and in all
        for value in [0, 0, UInt16(entries.count), UInt16(entries.count)] as [UInt16] { output.appendLittleEndian(value) }
        output.appendLittleEndian(UInt32(directory.count))
        output.appendLittleEndian(directoryOffset)
        output.appendLittleEndian(UInt16(0))
        return output
    }
}

extension [UInt8] {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { self.append(contentsOf: $0) }
    }

    mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.bigEndian) { self.append(contentsOf: $0) }
    }
}
