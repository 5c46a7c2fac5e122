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

    /// Its page below the forum's origin, id and slug: `/forums/1-ideas-feedback`.
    var path: String { "/forums/\(id)-\(UserEchoPresenter.slug(name))" }
}

/// A topic type, category or tag: a named thing that belongs to one forum. Ids are unique
/// across forums, as `categories/{id}/topics` and `tags/{id}/topics` need.
struct UserEchoLabel: Sendable {
    var kind: UserEchoLabelKind
    var id: Int
    var forumID: Int
    var name: String
}

/// The three kinds of per-forum label; the raw value is the singular noun.
enum UserEchoLabelKind: String, Sendable, CaseIterable {
    case type, category, tag

    /// `Type`, `Category`, `Tag`, for messages that start with one.
    var title: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
    /// What a 400 calls a label of this kind: "\(id) is not a topic type of forum 1."
    var noun: String { self == .type ? "topic type" : rawValue }
    /// Which id counter labels of this kind draw from.
    var objectKind: UserEchoObjectKind { UserEchoObjectKind(rawValue: rawValue)! }
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
    var name: String { Self.looks[rawValue - 1].name }
    /// The badge colour on the forum pages.
    var colour: String { Self.looks[rawValue - 1].colour }

    /// Name and colour of each status, in raw value order.
    private static let looks = [
        (name: "New", colour: "#7b8794"), (name: "Under review", colour: "#d97706"), (name: "Planned", colour: "#2563eb"),
        (name: "Started", colour: "#7c3aed"), (name: "Completed", colour: "#16a34a"), (name: "Declined", colour: "#b91c1c"),
    ]
}

/// A topic: an idea, question or problem someone posted in a forum.
struct UserEchoTopic: Sendable {
    var id: Int
    var forumID: Int
    var authorID: Int
    var header: String
    var description: String
    var status: UserEchoTopicStatus
    /// The topic's type and category (one each at most) and its tags, by kind.
    var labelIDs: [UserEchoLabelKind: [Int]]
    /// ISO 8601 with milliseconds, e.g. `2014-04-25T04:17:38.306Z`.
    var created: String
    var updated: String

    /// Its page below the forum's origin, id and slug: `/topics/1-dark-mode-for-the-thing-editor`.
    var path: String { "/topics/\(id)-\(UserEchoPresenter.slug(header))" }

    /// The ids of its labels of `kind`, in the order they were given.
    func labelIDs(_ kind: UserEchoLabelKind) -> [Int] { labelIDs[kind] ?? [] }
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
    /// The file's name, type and bytes as they were sent.
    var upload: UserEchoUpload
    /// ISO 8601 with milliseconds, e.g. `2014-04-25T04:17:38.306Z`.
    var created: String
}
