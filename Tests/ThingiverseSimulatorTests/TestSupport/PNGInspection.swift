import Testing

/// Checks the structure of a PNG made of stored zlib blocks: signature, chunk CRCs, header
/// and Adler-32; returns (width, height, decompressed pixel data size).
func inspectPNG(_ bytes: [UInt8]) throws -> (width: Int, height: Int, rawSize: Int) {
    #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    func u32(_ offset: Int) -> UInt32 {
        bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }
    var offset = 8
    var chunks: [(String, [UInt8])] = []
    while offset < bytes.count {
        let length = Int(u32(offset))
        let type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
        let data = Array(bytes[offset + 8..<offset + 8 + length])
        #expect(u32(offset + 8 + length) == crc32(Array(bytes[offset + 4..<offset + 8 + length])), "CRC of \(type)")
        chunks.append((type, data))
        offset += 12 + length
    }
    #expect(chunks.map(\.0) == ["IHDR", "IDAT", "IEND"])
    let header = chunks[0].1
    let width = Int(header[0..<4].reduce(0) { $0 << 8 | UInt32($1) })
    let height = Int(header[4..<8].reduce(0) { $0 << 8 | UInt32($1) })
    #expect(Array(header[8...]) == [8, 2, 0, 0, 0])

    // Inflate the stored blocks by hand.
    let zlib = chunks[1].1
    #expect(zlib[0] == 0x78 && (UInt16(zlib[0]) << 8 | UInt16(zlib[1])) % 31 == 0)
    var raw: [UInt8] = []
    var position = 2
    var final = false
    while !final {
        final = zlib[position] & 1 == 1
        #expect(zlib[position] & 0b110 == 0, "stored block")
        let length = Int(zlib[position + 1]) | Int(zlib[position + 2]) << 8
        let complement = Int(zlib[position + 3]) | Int(zlib[position + 4]) << 8
        #expect(length ^ 0xFFFF == complement)
        raw += zlib[position + 5..<position + 5 + length]
        position += 5 + length
    }
    var a: UInt32 = 1
    var b: UInt32 = 0
    for byte in raw {
        a = (a + UInt32(byte)) % 65_521
        b = (b + a) % 65_521
    }
    let adler = zlib[position..<position + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    #expect(adler == b << 16 | a)
    return (width, height, raw.count)
}

func crc32(_ data: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in data {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
    }
    return ~crc
}
