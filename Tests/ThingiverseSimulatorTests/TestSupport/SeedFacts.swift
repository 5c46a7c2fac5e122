import Foundation

/// Seeded thing ids: 4_100_000 + 17 * index (1-based); alice_prints owns 21...35, 35 is her draft.
func seededThingID(_ index: Int) -> Int { 4_100_000 + index * 17 }

/// `rel` -> URL from a GitHub-style Link header.
func links(_ header: String?) -> [String: String] {
    guard let header else { return [:] }
    var result: [String: String] = [:]
    for part in header.split(separator: ",") {
        let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard pieces.count == 2, pieces[0].hasPrefix("<"), pieces[0].hasSuffix(">"),
            pieces[1].hasPrefix("rel=\"")
        else { continue }
        result[String(pieces[1].dropFirst(5).dropLast())] = String(pieces[0].dropFirst().dropLast())
    }
    return result
}
