/// `forums` (list, create, delete) and each forum's `types`, `categories`, `tags` and
/// `access_list`.
extension UserEchoAPIController {
    /// `name` (required), `description`, `is_private`.
    func createForum(_ state: inout UserEchoState, _ call: UserEchoAPICall) throws -> JSONValue {
        let forum = UserEchoForum(
            id: state.newID(.forum), name: try call.fields.requiredString("name"),
            description: try call.fields.string("description") ?? "",
            isPrivate: try call.fields.bool("is_private") ?? false, accessList: [], created: call.now)
        state.forums.append(forum)
        return presenter.forum(forum, in: state)
    }

    /// Removes the forum `id` (or `forum_id`) with its topics, comments, votes and labels.
    func deleteForum(_ state: inout UserEchoState, _ call: UserEchoAPICall) throws -> JSONValue {
        let id = try call.requiredID(alias: "forum_id")
        _ = try call.found(state.forum(id: id), "Forum")
        let topicIDs = Set(state.topics.filter { $0.forumID == id }.map(\.id))
        state.forums.removeAll { $0.id == id }
        state.topics.removeAll { topicIDs.contains($0.id) }
        state.comments.removeAll { topicIDs.contains($0.topicID) }
        state.votes.removeAll { topicIDs.contains($0.topicID) }
        state.labels.removeAll { $0.forumID == id }
        return .object([("id", .integer(id))])
    }

    // MARK: Types, categories, tags

    func labels(_ kind: UserEchoLabelKind, _ state: inout UserEchoState, _ call: UserEchoAPICall) throws -> JSONValue {
        let forum = try Self.existingForum(call, in: state)
        return try call.listed(state.labels(kind).filter { $0.forumID == forum.id }.map { presenter.label($0) })
    }

    /// `name` (required; unique in the forum).
    func createLabel(_ kind: UserEchoLabelKind, _ state: inout UserEchoState, _ call: UserEchoAPICall) throws -> JSONValue {
        let forum = try Self.existingForum(call, in: state)
        let name = try call.fields.requiredString("name")
        guard !state.labels(kind).contains(where: { $0.forumID == forum.id && $0.name.lowercased() == name.lowercased() }) else {
            throw UserEchoAPIError.badRequest("The forum has a \(kind.rawValue) named \"\(name)\" already.")
        }
        let label = UserEchoLabel(kind: kind, id: state.newID(kind.objectKind), forumID: forum.id, name: name)
        state.labels.append(label)
        return presenter.label(label)
    }

    /// Renames the label `id`.
    func updateLabel(_ kind: UserEchoLabelKind, _ state: inout UserEchoState, _ call: UserEchoAPICall) throws -> JSONValue {
        let forum = try Self.existingForum(call, in: state)
        let index = try Self.labelIndex(kind, call, forumID: forum.id, in: state)
        state.labels[index].name = try call.fields.requiredString("name")
        return presenter.label(state.labels[index])
    }

    /// Removes the label `id`; topics lose it.
    func deleteLabel(_ kind: UserEchoLabelKind, _ state: inout UserEchoState, _ call: UserEchoAPICall) throws -> JSONValue {
        let forum = try Self.existingForum(call, in: state)
        let removed = state.labels.remove(at: try Self.labelIndex(kind, call, forumID: forum.id, in: state))
        for topicIndex in state.topics.indices {
            state.topics[topicIndex].labelIDs[kind]?.removeAll { $0 == removed.id }
        }
        return .object([("id", .integer(removed.id))])
    }

    // MARK: Access list

    /// `emails` (a JSON array or comma-separated text) added to or taken from the list; answers
    /// the whole list.
    func changeAccessList(adding: Bool, _ state: inout UserEchoState, _ call: UserEchoAPICall) throws -> JSONValue {
        let id = try call.id("forum", "Forum")
        let index = try call.found(state.forums.firstIndex { $0.id == id }, "Forum")
        let emails = try Self.emails(call)
        var list = state.forums[index].accessList
        if adding {
            for email in emails where !list.contains(where: { $0.lowercased() == email.lowercased() }) {
                list.append(email)
            }
        } else {
            let taken = Set(emails.map { $0.lowercased() })
            list.removeAll { taken.contains($0.lowercased()) }
        }
        state.forums[index].accessList = list
        return .array(list.map { .string($0) })
    }

    // MARK: Helpers

    static func existingForum(_ call: UserEchoAPICall, in state: UserEchoState) throws(UserEchoAPIError) -> UserEchoForum {
        try call.found(state.forum(id: try call.id("forum", "Forum")), "Forum")
    }

    private static func labelIndex(
        _ kind: UserEchoLabelKind, _ call: UserEchoAPICall, forumID: Int, in state: UserEchoState
    ) throws(UserEchoAPIError) -> Int {
        let id = try call.requiredID()
        return try call.found(state.labels.firstIndex { $0.kind == kind && $0.id == id && $0.forumID == forumID }, kind.title)
    }

    private static func emails(_ call: UserEchoAPICall) throws(UserEchoAPIError) -> [String] {
        var given = try call.fields.strings("emails")
        if given == nil { given = try call.fields.strings("email") }
        guard let emails = given, !emails.isEmpty else {
            throw .badRequest("emails is required.")
        }
        for email in emails where !isPlausibleEmail(email) {
            throw .badRequest("\"\(email)\" is not an email address.")
        }
        return emails
    }
}
