/// Writes 8-bit RGB PNG images with no dependencies: the pixel rows go into zlib "stored"
/// (uncompressed) deflate blocks, checked with Adler-32, inside chunks checked with CRC-32.
/// Good enough for small generated placeholder images.
enum PNGEncoder {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Encodes `width` x `height` pixels; `pixel(x, y)` gives each pixel's colour.
    static func encode(width: Int, height: Int, pixel: (Int, Int) -> (UInt8, UInt8, UInt8)) -> [UInt8] {
        precondition(width > 0 && height > 0, "A PNG needs at least one pixel.")
        var raw: [UInt8] = []
        raw.reserveCapacity((width * 3 + 1) * height)
        for y in 0..<height {
            raw.append(0)  // filter type "None" for this row
            for x in 0..<width {
                let (r, g, b) = pixel(x, y)
                raw += [r, g, b]
            }
        }

        var header: [UInt8] = []
        header.appendBigEndian(UInt32(width))
        header.appendBigEndian(UInt32(height))
        header.append(contentsOf: [8, 2, 0, 0, 0])  // bit depth 8, colour type RGB, deflate, no filter, no interlace

        var output = signature
        appendChunk("IHDR", header, to: &output)
        appendChunk("IDAT", zlibStored(raw), to: &output)
        appendChunk("IEND", [], to: &output)
        return output
    }

    /// A zlib stream holding `data` in stored deflate blocks of at most 65535 bytes.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var output: [UInt8] = [0x78, 0x01]  // deflate, 32K window, no preset dictionary, fastest
        var offset = 0
        repeat {
            let length = min(65_535, data.count - offset)
            let isLast = offset + length == data.count
            output.append(isLast ? 1 : 0)  // BFINAL bit, BTYPE 00 (stored)
            output.appendLittleEndian(UInt16(length))
            output.appendLittleEndian(~UInt16(length))
            output.append(contentsOf: data[offset..<offset + length])
            offset += length
        } while offset < data.count
        output.appendBigEndian(adler32(data))
        return output
    }

    static func adler32(_ data: [UInt8]) -> UInt32 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return b << 16 | a
    }

    static func crc32(_ data: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return crc ^ 0xFFFF_FFFF
    }

    private static let crcTable: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 {
            value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1
        }
        return value
    }

    private static func appendChunk(_ type: String, _ data: [UInt8], to output: inout [UInt8]) {
        let typeBytes = Array(type.utf8)
        output.appendBigEndian(UInt32(data.count))
        output.append(contentsOf: typeBytes)
        output.append(contentsOf: data)
        output.appendBigEndian(crc32(typeBytes + data))
    }
}
