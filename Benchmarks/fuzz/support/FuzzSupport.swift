// Shared by every fuzz target (compiled into each one by Benchmarks/fuzz/build).
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Stops the run with a message libFuzzer keeps next to the crashing input: a property that
/// does not hold is a finding exactly like a crash.
func property(_ holds: Bool, _ what: @autoclosure () -> String, line: UInt = #line) {
    guard !holds else { return }
    let message = Array("PROPERTY VIOLATED (line \(line)): \(what())\n".utf8)
    _ = message.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    abort()
}

/// Reads structured values off the front of a fuzz input, so one input can choose a mode, a
/// position, a few strings and the rest as raw bytes. Running out of bytes gives zeros and
/// empty strings, never a trap.
struct FuzzInput {
    private var bytes: ArraySlice<UInt8>

    init(_ data: UnsafePointer<UInt8>, _ size: Int) {
        bytes = Array(UnsafeBufferPointer(start: data, count: size))[...]
    }

    var isEmpty: Bool { bytes.isEmpty }

    mutating func byte() -> UInt8 {
        bytes.popFirst() ?? 0
    }

    /// A value in `0..<bound` (two bytes of entropy).
    mutating func index(below bound: Int) -> Int {
        guard bound > 0 else { return 0 }
        return (Int(byte()) << 8 | Int(byte())) % bound
    }

    /// Bytes up to the next 0xFF separator (or the end), at most `limit`.
    mutating func field(limit: Int = 256) -> [UInt8] {
        var field: [UInt8] = []
        while let next = bytes.popFirst(), next != 0xFF {
            if field.count < limit { field.append(next) }
        }
        return field
    }

    /// ``field(limit:)`` decoded as UTF-8 (invalid sequences repaired).
    mutating func text(limit: Int = 256) -> String {
        String(decoding: field(limit: limit), as: UTF8.self)
    }

    /// Whatever is left.
    mutating func rest() -> [UInt8] {
        defer { bytes = [] }
        return Array(bytes)
    }
}

/// The input as raw bytes (for targets that take the whole input as one body).
func bytes(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
    Array(UnsafeBufferPointer(start: data, count: size))
}

// How provider frameworks (Python's parse_qsl, PHP) read a form or a query: the judge the
// proxy's own readers are checked against.

/// Each field of a form or query as raw name and value bytes, as provider frameworks split it.
func frameworkPairs(_ bytes: [UInt8]) -> [[[UInt8]]] {
    bytes.split(separator: UInt8(ascii: "&")).map { pair in
        let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
        return [percentDecoded(Array(parts[0])), parts.count > 1 ? percentDecoded(Array(parts[1])) : []]
    }
}

/// The names of a form or query as provider frameworks read them (invalid UTF-8 repaired).
func frameworkNames(_ bytes: [UInt8]) -> [String] {
    frameworkPairs(bytes).map { String(decoding: $0[0], as: UTF8.self) }
}

/// `+` as a space and each valid `%XX` decoded; a malformed escape is kept as it is.
func percentDecoded(_ bytes: [UInt8]) -> [UInt8] {
    var output: [UInt8] = []
    var index = 0
    while index < bytes.count {
        let byte = bytes[index]
        if byte == UInt8(ascii: "%"), index + 2 < bytes.count, let high = hexDigit(bytes[index + 1]), let low = hexDigit(bytes[index + 2]) {
            output.append(high << 4 | low)
            index += 3
            continue
        }
        output.append(byte == UInt8(ascii: "+") ? 0x20 : byte)
        index += 1
    }
    return output
}

func hexDigit(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
}
