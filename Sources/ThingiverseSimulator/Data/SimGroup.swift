/// A Thingiverse group: an owner, members who joined at some time, things and topics.
struct SimGroup: Sendable, Identifiable {
    /// Someone in the group and when they joined.
    struct Membership: Sendable {
        var userID: Int
        var joined: Int
    }

    /// A thing added to the group; `rank` 1...3 features it, 0 does not.
    struct Entry: Sendable {
        var thingID: Int
        var added: Int
        var rank: Int = 0
    }

    var id: Int
    var name: String
    var slug: String
    var description: String
    var ownerID: Int
    var members: [Membership]
    var things: [Entry]
    var added: Int
    var modified: Int
    /// Storage key of an uploaded group image (`POST /groups/{id}/image`).
    var imageKey: String? = nil

    func isMember(_ userID: Int) -> Bool { members.contains { $0.userID == userID } }
}
