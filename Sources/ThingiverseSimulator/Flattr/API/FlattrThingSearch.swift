/// The filters of `GET /things/search`: a text query, categories, a tag expression, an owner
/// and a language. Matching is simple (case-insensitive substrings), as a stand-in needs.
struct FlattrThingSearch: Sendable {
    /// Words that must all appear in the title, description, URL or tags.
    var words: [String]
    var categories: [String]
    var tags: FlattrTagExpression
    var user: String?
    var language: String?

    init(query: [String: String]) {
        self.words = (query["query"] ?? "").lowercased().split(separator: " ").map(String.init)
        self.categories = (query["category"] ?? "").lowercased().split(separator: ",").map { $0.trimmingSpaces }
            .filter { !$0.isEmpty }
        self.tags = FlattrTagExpression(query["tags"] ?? "")
        self.user = query["user"].flatMap { $0.isEmpty ? nil : $0.lowercased() }
        self.language = query["language"].flatMap { $0.isEmpty ? nil : $0.lowercased() }
    }

    func matches(_ thing: FlattrThing) -> Bool {
        guard !thing.hidden else { return false }
        if !categories.isEmpty && !categories.contains(thing.category.rawValue) { return false }
        if let user, thing.ownerName.lowercased() != user { return false }
        if let language, thing.language.lowercased() != language { return false }
        let text = ([thing.title, thing.description, thing.url] + thing.tags).joined(separator: "\n").lowercased()
        return words.allSatisfy { text.contains($0) } && tags.matches(thing.tags)
    }
}

/// Flattr's tag syntax, read left to right: `game | games ! software` is "(game or games) and
/// not software"; `photo & flickr ! illustrations` is "(photo and flickr) and not illustrations".
/// A comma is an `|`; tags written side by side are joined by `&`. Empty matches everything.
struct FlattrTagExpression: Sendable {
    enum Operator: Sendable { case or, and, andNot }

    /// Each tag with the operator joining it to what comes before (ignored for the first,
    /// except that a leading `!` means "not").
    var terms: [(Operator, String)]

    init(_ text: String) {
        var terms: [(Operator, String)] = []
        var pending: Operator?
        var word = ""
        func flush() {
            guard !word.isEmpty else { return }
            terms.append((pending ?? .and, word.lowercased()))
            pending = nil
            word = ""
        }
        for character in text {
            switch character {
            case "|", ",": flush(); pending = .or
            case "&": flush(); pending = .and
            case "!": flush(); pending = .andNot
            case " ", "\t", "+": flush()
            default: word.append(character)
            }
        }
        flush()
        self.terms = terms
    }

    func matches(_ tags: [String]) -> Bool {
        let present = Set(tags.map { $0.lowercased() })
        var result: Bool?
        for (operation, tag) in terms {
            let has = present.contains(tag)
            switch (result, operation) {
            case (nil, .andNot): result = !has
            case (nil, _): result = has
            case (let value?, .or): result = value || has
            case (let value?, .and): result = value && has
            case (let value?, .andNot): result = value && !has
            }
        }
        return result ?? true
    }
}
