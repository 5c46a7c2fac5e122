/// Topic lists by category, tag and search, creating, updating and deleting topics. Lists are
/// newest first.
extension UserEchoAPIController {
    func labelTopics(_ kind: UserEchoLabelKind, _ state: inout UserEchoState, _ call: UserEchoAPICall) throws -> JSONValue {
        let id = try call.id(kind.rawValue, kind.title)
        _ = try call.found(state.label(kind, id: id), kind.title)
        return try topicList(state, call) { $0.labelIDs(kind).contains(id) }
    }

    /// `query` (or `q`, `text`): topics whose header or description holds every word, in any case.
    func searchTopics(_ state: inout UserEchoState, _ call: UserEchoAPICall) throws -> JSONValue {
        let forum = try Self.existingForum(call, in: state)
        let text = try call.fields.string("query") ?? call.fields.string("q") ?? call.fields.string("text")
        guard let text, text.contains(where: { !$0.isWhitespace }) else {
            throw UserEchoAPIError.badRequest("query is required.")
        }
        let words = text.lowercased().split(whereSeparator: \.isWhitespace)
        return try topicList(state, call) { topic in
            let haystack = (topic.header + " " + topic.description).lowercased()
            return topic.forumID == forum.id && words.allSatisfy { haystack.contains($0) }
        }
    }

    /// `header` (required), `description`, `type`, `category`, `tags` (names or ids of the
    /// forum's), `status` (admins only). The acting user is the author.
    func createTopic(_ state: inout UserEchoState, _ call: UserEchoAPICall) throws -> JSONValue {
        let forum = try Self.existingForum(call, in: state)
        let fields = call.fields
        var topic = UserEchoTopic(
            id: 0, forumID: forum.id, authorID: call.actor.id, header: try fields.requiredString("header"),
            description: try fields.string("description") ?? "", status: .new,
            labelIDs: [.type: state.labels(.type).filter { $0.forumID == forum.id }.prefix(1).map(\.id)], created: call.now,
            updated: call.now)
        try Self.apply(fields, to: &topic, forumID: forum.id, call: call, state: state)
        topic.id = state.newID(.topic)
        state.topics.append(topic)
        let shown = presenter.topic(topic, in: state)
        state.queueHooks("topic.created", data: shown, created: call.now)
        return shown
    }

    /// `id` (or `topic_id`) of a topic in the forum, and the fields to change, as for creating.
    /// Its author or an admin may change it.
    func updateTopic(_ state: inout UserEchoState, _ call: UserEchoAPICall) throws -> JSONValue {
        let forum = try Self.existingForum(call, in: state)
        let id = try call.requiredID(alias: "topic_id")
        let index = try call.found(state.topicIndex(id: id).flatMap { state.topics[$0].forumID == forum.id ? $0 : nil }, "Topic")
        try call.requireOwnerOrAdmin(state.topics[index].authorID, "You are not allowed to change this topic; only its author or an admin may.")
        var topic = state.topics[index]
        if let header = try call.fields.string("header") { topic.header = header }
        if let description = try call.fields.string("description") { topic.description = description }
        try Self.apply(call.fields, to: &topic, forumID: forum.id, call: call, state: state)
        topic.updated = call.now
        state.topics[index] = topic
        return presenter.topic(topic, in: state)
    }

    /// Removes a topic with its comments and votes (its author or an admin).
    func deleteTopic(_ state: inout UserEchoState, _ call: UserEchoAPICall) throws -> JSONValue {
        let index = try Self.topicIndex(call, in: state)
        try call.requireOwnerOrAdmin(state.topics[index].authorID, "You are not allowed to delete this topic; only its author or an admin may.")
        let shown = presenter.topic(state.topics[index], in: state)
        let topic = state.topics.remove(at: index)
        state.deletedTopics[topic.id] = topic
        for comment in state.comments where comment.topicID == topic.id {
            state.deletedComments[comment.id] = comment
        }
        state.comments.removeAll { $0.topicID == topic.id }
        state.votes.removeAll { $0.topicID == topic.id }
        state.queueHooks("topic.deleted", data: shown, created: call.now)
        return .object([("id", .integer(topic.id))])
    }

    // MARK: Helpers

    /// The topics newest first, filtered and paged.
    func topicList(
        _ state: UserEchoState, _ call: UserEchoAPICall, where include: (UserEchoTopic) -> Bool
    ) throws -> JSONValue {
        try call.listed(state.topics(where: include).map { presenter.topic($0, in: state) })
    }

    static func topicIndex(_ call: UserEchoAPICall, in state: UserEchoState) throws(UserEchoAPIError) -> Int {
        try call.found(state.topicIndex(id: try call.id("topic", "Topic")), "Topic")
    }

    static func existingTopic(_ call: UserEchoAPICall, in state: UserEchoState) throws(UserEchoAPIError) -> UserEchoTopic {
        state.topics[try topicIndex(call, in: state)]
    }

    /// Sets `type`, `category`, `tags` and `status` from the fields that are present.
    private static func apply(
        _ fields: UserEchoFields, to topic: inout UserEchoTopic, forumID: Int, call: UserEchoAPICall, state: UserEchoState
    ) throws(UserEchoAPIError) {
        for kind in [UserEchoLabelKind.type, .category] {
            guard let id = try fields.int(kind.rawValue, "\(kind.rawValue)_id") else { continue }
            guard state.label(kind, id: id)?.forumID == forumID else {
                throw .badRequest("\(kind.rawValue) \(id) is not a \(kind.noun) of forum \(forumID).")
            }
            topic.labelIDs[kind] = [id]
        }
        if let tags = try fields.strings("tags") {
            var ids: [Int] = []
            for wanted in tags {
                let tag = state.labels(.tag).first {
                    $0.forumID == forumID && (String($0.id) == wanted || $0.name.lowercased() == wanted.lowercased())
                }
                guard let tag else { throw .badRequest("\"\(wanted)\" is not a tag of forum \(forumID).") }
                if !ids.contains(tag.id) { ids.append(tag.id) }
            }
            topic.labelIDs[.tag] = ids
        }
        if let statusID = try fields.int("status") {
            guard call.actor.isAdmin else { throw .forbidden("Only an admin may set a topic's status.") }
            guard let status = UserEchoTopicStatus(rawValue: statusID) else {
                throw .badRequest("status must be one of 1 to \(UserEchoTopicStatus.allCases.count).")
            }
            topic.status = status
        }
    }
}
