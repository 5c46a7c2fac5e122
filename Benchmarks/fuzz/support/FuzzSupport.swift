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
