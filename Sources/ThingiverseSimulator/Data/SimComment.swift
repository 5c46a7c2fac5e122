/// What a comment is about: a thing, a copy ("make") or a group topic.
enum CommentTarget: Hashable, Sendable {
    case thing(Int)
    case copy(Int)
    case groupTopic(Int)

    /// The `target_type` name Thingiverse uses (`POST /comments` takes `thing` or `make`), and
    /// the API path such records live under.
    var names: (type: String, path: String) {
        switch self {
        case .thing: return ("thing", "things")
        case .copy: return ("make", "copies")
        case .groupTopic: return ("grouptopic", "group-topics")
        }
    }

    var id: Int {
        switch self {
        case .thing(let id), .copy(let id), .groupTopic(let id): return id
        }
    }

    /// Whether this is one of `things` or `copies` (never a group topic).
    func isAmong(things: Set<Int>, copies: Set<Int>) -> Bool {
        switch self {
        case .thing(let id): return things.contains(id)
        case .copy(let id): return copies.contains(id)
        case .groupTopic: return false
        }
    }
}

/// A comment on a thing, a copy or a group topic; `parentID` makes it a reply.
struct SimComment: Sendable, Identifiable {
    var id: Int
    var target: CommentTarget
    /// The comment this one replies to; `nil` for a top-level comment.
    var parentID: Int?
    var authorID: Int
    var body: String
    var added: Int
    var modified: Int
}
