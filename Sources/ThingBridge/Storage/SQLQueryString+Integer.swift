import SQLKit

extension SQLQueryString {
    /// An integer the code itself holds (an id already parsed as a number, a time, a count),
    /// written into the statement as its decimal text, or `NULL`.
    ///
    /// Only for integer types: their decimal text cannot carry SQL, so it goes in as it is. On
    /// the ingest path a bind costs more than the rest of its row (each goes through the
    /// driver's `Encodable` conversion and a dynamic cast, and `SQLLiteral` asks the dialect
    /// how to write it); every row's statement is prepared anew anyway, so nothing is lost.
    mutating func appendInterpolation(integer value: (some BinaryInteger)?) {
        appendInterpolation(unsafeRaw: value.map { String($0) } ?? "NULL")
    }
}
