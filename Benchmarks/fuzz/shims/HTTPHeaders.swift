// Stands in for NIOHTTP1's HTTPHeaders in targets that do not link SwiftNIO: the extracted code
// only replaces or adds one header, which NIO does case-insensitively by name.
struct HTTPHeaders: Sendable {
    private(set) var fields: [(name: String, value: String)] = []

    mutating func replaceOrAdd(name: String, value: String) {
        fields.removeAll { $0.name.lowercased() == name.lowercased() }
        fields.append((name, value))
    }

    func first(name: String) -> String? {
        fields.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
