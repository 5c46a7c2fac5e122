/// A project-wide user group (`users/groups`).
struct UserEchoGroup: Sendable {
    var id: Int
    var name: String
}

/// A forum of the project (what UserEcho's web pages call a community's forum).
struct UserEchoForum: Sendable {
    var id: Int
    var name: String
    var description: String
    var isPrivate = false
    /// Emails allowed into a private forum (`forums/{id}/access_list`).
    var accessList: [String] = []
    /// ISO 8601 with milliseconds, e.g. `2014-04-25T04:17:38.306Z`.
    var created: String
}

/// A topic type, category or tag: a named thing that belongs to one forum. Ids are unique
/// across forums, as `categories/{id}/topics` and `tags/{id}/topics` need.
struct UserEchoLabel: Sendable {
    var id: Int
    var forumID: Int
    var name: String
}

/// The stages a topic goes through; `status` in the API is the id.
enum UserEchoTopicStatus: Int, Sendable, CaseIterable {
    case new = 1
    case underReview = 2
    case planned = 3
    case started = 4
    case completed = 5
    case declined = 6

    /// The name the API gives it.
    var name: String { looks.name }
    /// The badge colour on the forum pages.
    var colour: String { looks.colour }

    private var looks: (name: String, colour: String) {
        switch self {
        case .new: return ("New", "#7b8794")
        case .underReview: return ("Under review", "#d97706")
        case .planned: return ("Planned", "#2563eb")
        case .started: return ("Started", "#7c3aed")
        case .completed: return ("Completed", "#16a34a")
        case .declined: return ("Declined", "#b91c1c")
        }
    }
}

/// A topic: an idea, question or problem someone posted in a forum.
struct UserEchoTopic: Sendable {
    var id: Int
    var forumID: Int
    var authorID: Int
    var header: String
    var description: String
    var status: UserEchoTopicStatus
    var typeID: Int?
    var categoryID: Int?
    var tagIDs: [Int]
    /// ISO 8601 with milliseconds, e.g. `2014-04-25T04:17:38.306Z`.
    var created: String
    var updated: String
}

/// One person's vote on a topic: +1 or -1.
struct UserEchoVote: Sendable {
    var topicID: Int
    var userID: Int
    var value: Int
    /// ISO 8601 with milliseconds, e.g. `2014-04-25T04:17:38.306Z`.
    var created: String
}

/// A comment on a topic.
struct UserEchoComment: Sendable {
    var id: Int
    var topicID: Int
    var authorID: Int
    var text: String
    /// ISO 8601 with milliseconds, e.g. `2014-04-25T04:17:38.306Z`.
    var created: String
    var updated: String
}

/// A file or image uploaded to a forum, kept in memory so its `url` can be fetched.
struct UserEchoFile: Sendable {
    var id: Int
    var forumID: Int
    var name: String
    var contentType: String
    var bytes: [UInt8]
    var isImage: Bool
    /// ISO 8601 with milliseconds, e.g. `2014-04-25T04:17:38.306Z`.
    var created: String
}
