/// Everything the UserEcho simulator remembers, kept behind one `Mutex` in `UserEchoSimulator`.
/// Each request does its work inside a single lock, so it sees and leaves a consistent state.
struct UserEchoState: Sendable {
    var users = UserEchoSeedData.users
    var groups = UserEchoSeedData.groups
    var forums = UserEchoSeedData.forums
    /// Types, categories and tags; each kind numbers its own ids.
    var labels = UserEchoSeedData.labels
    var topics = UserEchoSeedData.topics
    var votes = UserEchoSeedData.votes
    var comments = UserEchoSeedData.comments
    var hooks: [UserEchoHook] = []
    var files: [UserEchoFile] = []
    /// Deleted topics and comments, kept so that `sendHook("topic.deleted", ...)` can still show them.
    var deletedTopics: [Int: UserEchoTopic] = [:]
    var deletedComments: [Int: UserEchoComment] = [:]
    /// Forum page sessions: `ue_session` cookie value to user id.
    var sessions: [String: Int] = [:]
    /// Users whose sessions `users/{id}/logout` cleared, in call order.
    var loggedOutUserIDs: [Int] = []
    /// Hooks that API writes made due, for the controller to send once the lock is released.
    var outbox: [OutgoingDelivery] = []
    var rateBudgets = RateBudgets()
    var lastRequest: UserEchoRequestRecord?

    /// The id the next object of each kind gets.
    var nextIDs: [UserEchoObjectKind: Int]

    /// The length of a rate-limit window: the configured limit is per key per minute.
    static let rateWindow = Duration.seconds(60)

    init() {
        func next(_ ids: [Int]) -> Int { (ids.max() ?? 0) + 1 }
        self.nextIDs = [
            .user: next(users.map(\.id)), .group: next(groups.map(\.id)), .forum: next(forums.map(\.id)),
            .topic: next(topics.map(\.id)), .comment: next(comments.map(\.id)), .hook: 1, .file: 1,
        ]
        for kind in UserEchoLabelKind.allCases {
            nextIDs[kind.objectKind] = next(labels(kind).map(\.id))
        }
    }

    /// Hands out the next id of `kind`.
    mutating func newID(_ kind: UserEchoObjectKind) -> Int {
        let id = nextIDs[kind] ?? 1
        nextIDs[kind] = id + 1
        return id
    }

    // MARK: Lookups

    func user(id: Int) -> UserEchoUser? { users.first { $0.id == id } }
    func user(guid: String) -> UserEchoUser? { users.first { $0.guid == guid } }
    func forum(id: Int) -> UserEchoForum? { forums.first { $0.id == id } }
    func topic(id: Int) -> UserEchoTopic? { topics.first { $0.id == id } }
    func topicIndex(id: Int) -> Int? { topics.firstIndex { $0.id == id } }
    func comment(id: Int) -> UserEchoComment? { comments.first { $0.id == id } }

    /// The topics `include` keeps, newest first, as UserEcho lists them.
    func topics(where include: (UserEchoTopic) -> Bool) -> [UserEchoTopic] {
        topics.filter(include).sorted { ($0.created, $0.id) > ($1.created, $1.id) }
    }

    /// The comments `include` keeps, oldest first, as a conversation reads.
    func comments(where include: (UserEchoComment) -> Bool) -> [UserEchoComment] {
        comments.filter(include).sorted { ($0.created, $0.id) < ($1.created, $1.id) }
    }

    func voteDiff(topicID: Int) -> Int {
        votes.lazy.filter { $0.topicID == topicID }.reduce(0) { $0 + $1.value }
    }

    func commentCount(topicID: Int) -> Int {
        comments.lazy.filter { $0.topicID == topicID }.count
    }

    /// The labels of one kind (types, categories or tags).
    func labels(_ kind: UserEchoLabelKind) -> [UserEchoLabel] { labels.filter { $0.kind == kind } }
    func label(_ kind: UserEchoLabelKind, id: Int?) -> UserEchoLabel? { labels.first { $0.kind == kind && $0.id == id } }

    // MARK: People

    /// The user `profile` names: a new guid makes a new user, a known one is updated with the
    /// token's name, email, avatar, locale and groups (fields the token leaves out are kept).
    mutating func signIn(_ profile: UserEchoSSOProfile) -> UserEchoUser {
        let index = users.firstIndex { $0.guid == profile.guid } ?? users.endIndex
        if index == users.endIndex {
            users.append(UserEchoUser(id: newID(.user), guid: profile.guid, name: profile.displayName, created: UserEchoTimestamp.now()))
        }
        users[index].name = profile.displayName
        if let email = profile.email { users[index].email = email }
        if let avatar = profile.avatarURL { users[index].avatarURL = avatar }
        if let locale = profile.locale { users[index].locale = locale }
        if let verified = profile.verifiedEmail { users[index].verifiedEmail = verified }
        if !profile.groups.isEmpty { users[index].groups = profile.groups }
        return users[index]
    }

    /// Renames the group `old` in every member's list, or takes it out of them when `new` is `nil`.
    mutating func replaceGroup(_ old: String, with new: String?) {
        for index in users.indices {
            users[index].groups = users[index].groups.compactMap { $0 == old ? new : $0 }
        }
    }

    /// Ends every forum page session of `userID`.
    mutating func logOut(userID: Int) {
        sessions = sessions.filter { $0.value != userID }
        loggedOutUserIDs.append(userID)
    }
}

/// The kinds of object that get ids from `UserEchoState.newID`.
enum UserEchoObjectKind: String, Hashable, Sendable {
    case user, group, forum, type, category, tag, topic, comment, hook, file
}

extension UserEchoState {
    /// Parameters whose values never appear in the request log.
    static let secretParameters: Set<String> = ["access_token", "sso_token"]

    /// `query` with the value of every secret parameter replaced by `<redacted>`; other pairs
    /// stay exactly as they arrived.
    static func redact(_ query: String) -> String {
        query.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            let name = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            guard secretParameters.contains(FormEncoding.decodeComponent(name)) else { return String(pair) }
            return "\(name)=<redacted>"
        }.joined(separator: "&")
    }
}
