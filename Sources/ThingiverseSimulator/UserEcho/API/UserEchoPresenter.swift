/// Turns the simulator's records into the JSON objects of UserEcho's API v2, with absolute URLs
/// on the configured forum base URL. UserEcho documents no object shapes; these follow its
/// field names where they are known (`header`, `vote_diff`, `comment_count`, `created`, ...).
struct UserEchoPresenter: Sendable {
    /// The configuration's `base`, e.g. `http://127.0.0.1:8080/sim/userecho`.
    let base: String

    // MARK: URLs

    func avatar(_ user: UserEchoUser) -> String { user.avatarURL ?? "\(base)/avatars/\(user.id).png" }
    func fileLink(_ file: UserEchoFile) -> String { "\(base)/files/\(file.id)/\(FormEncoding.encodeComponent(file.upload.name))" }

    /// `Dark mode for the editor!` -> `dark-mode-for-the-editor`, as UserEcho's topic URLs read.
    static func slug(_ text: String) -> String {
        var slug = ""
        for character in text.lowercased() {
            if character.isASCII && (character.isLetter || character.isNumber) {
                slug.append(character)
            } else if !slug.isEmpty && slug.last != "-" {
                slug.append("-")
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        return String(slug.prefix(60))
    }

    // MARK: People

    /// A user as `users`, `users/{id}` and `users/current` show one.
    func user(_ user: UserEchoUser) -> JSONValue {
        .object([
            ("id", .integer(user.id)),
            ("name", .string(user.name)),
            ("email", user.email.map { .string($0) } ?? .null),
            ("avatar_url", .string(avatar(user))),
            ("sso_guid", user.guid.map { .string($0) } ?? .null),
            ("locale", .string(user.locale ?? "en")),
            ("is_admin", .bool(user.isAdmin)),
            ("groups", .array(user.groups.map { .string($0) })),
            ("created", .string(user.created)),
        ])
    }

    /// The short form in topics and comments.
    func author(_ userID: Int, in state: UserEchoState) -> JSONValue {
        .object(authorMembers(state.user(id: userID) ?? .anonymous))
    }

    private func authorMembers(_ user: UserEchoUser) -> [(String, JSONValue)] {
        [("id", .integer(user.id)), ("name", .string(user.name)), ("avatar_url", .string(avatar(user)))]
    }

    func group(_ group: UserEchoGroup, in state: UserEchoState) -> JSONValue {
        .object([
            ("id", .integer(group.id)),
            ("name", .string(group.name)),
            ("users_count", .integer(state.users.filter { $0.groups.contains(group.name) }.count)),
        ])
    }

    // MARK: Forums

    func forum(_ forum: UserEchoForum, in state: UserEchoState) -> JSONValue {
        .object([
            ("id", .integer(forum.id)),
            ("name", .string(forum.name)),
            ("description", .string(forum.description)),
            ("is_private", .bool(forum.isPrivate)),
            ("topics_count", .integer(state.topics.filter { $0.forumID == forum.id }.count)),
            ("url", .string(base + forum.path)),
            ("created", .string(forum.created)),
        ])
    }

    /// A type, category or tag.
    func label(_ label: UserEchoLabel) -> JSONValue {
        .object([("id", .integer(label.id)), ("forum_id", .integer(label.forumID)), ("name", .string(label.name))])
    }

    private func labelReference(_ label: UserEchoLabel?) -> JSONValue {
        guard let label else { return .null }
        return .object([("id", .integer(label.id)), ("name", .string(label.name))])
    }

    func file(_ file: UserEchoFile) -> JSONValue {
        .object([
            ("id", .integer(file.id)),
            ("forum_id", .integer(file.forumID)),
            ("name", .string(file.upload.name)),
            ("url", .string(fileLink(file))),
            ("size", .integer(file.upload.bytes.count)),
            ("content_type", .string(file.upload.contentType)),
            ("is_image", .bool(file.upload.isImage)),
            ("created", .string(file.created)),
        ])
    }

    // MARK: Topics and comments

    /// A topic as every topic list and `topics/{id}` show it (and as hooks carry it).
    func topic(_ topic: UserEchoTopic, in state: UserEchoState) -> JSONValue {
        .object([
            ("id", .integer(topic.id)),
            ("forum_id", .integer(topic.forumID)),
            ("header", .string(topic.header)),
            ("description", .string(topic.description)),
            ("status", .integer(topic.status.rawValue)),
            ("status_name", .string(topic.status.name)),
            ("type", labelReference(state.label(.type, id: topic.labelIDs(.type).first))),
            ("category", labelReference(state.label(.category, id: topic.labelIDs(.category).first))),
            ("tags", .array(topic.labelIDs(.tag).map { labelReference(state.label(.tag, id: $0)) })),
            ("vote_diff", .integer(state.voteDiff(topicID: topic.id))),
            ("comment_count", .integer(state.commentCount(topicID: topic.id))),
            ("author", author(topic.authorID, in: state)),
            ("created", .string(topic.created)),
            ("updated", .string(topic.updated)),
            ("url", .string(base + topic.path)),
        ])
    }

    /// A comment as comment lists show it (and as hooks carry it).
    func comment(_ comment: UserEchoComment, in state: UserEchoState) -> JSONValue {
        let topic = state.topic(id: comment.topicID) ?? state.deletedTopics[comment.topicID]
        return .object([
            ("id", .integer(comment.id)),
            ("topic_id", .integer(comment.topicID)),
            ("forum_id", topic.map { .integer($0.forumID) } ?? .null),
            ("text", .string(comment.text)),
            ("author", author(comment.authorID, in: state)),
            ("created", .string(comment.created)),
            ("updated", .string(comment.updated)),
            ("url", .string(topic.map { "\(base)\($0.path)#comment-\(comment.id)" } ?? "")),
        ])
    }

    /// One entry of `topics/{id}/voters`: the person and their vote (+1 or -1).
    func voter(_ vote: UserEchoVote, in state: UserEchoState) -> JSONValue {
        .object(authorMembers(state.user(id: vote.userID) ?? .anonymous) + [("vote", .integer(vote.value)), ("created", .string(vote.created))])
    }

    func hook(_ hook: UserEchoHook) -> JSONValue {
        .object([
            ("id", .integer(hook.id)),
            ("event", .string(hook.event)),
            ("target_url", .string(hook.targetURL)),
            ("created", .string(hook.created)),
        ])
    }
}
