/// A discussion topic in a group; the group owner can pin it.
struct SimGroupTopic: Sendable, Identifiable {
    var id: Int
    var groupID: Int
    var authorID: Int
    var name: String
    var body: String
    var isPinned: Bool
    var added: Int
    var modified: Int
}
