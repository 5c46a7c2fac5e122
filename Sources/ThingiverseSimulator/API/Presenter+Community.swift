import Foundation

/// The JSON of comments, groups and group topics.
extension Presenter {
    func comment(_ comment: SimComment, in state: SimulatorState) -> JSONValue {
        .object([
            ("id", .integer(comment.id)),
            ("url", .string("\(api)/comments/\(comment.id)")),
            ("body", .string(comment.body)),
            ("user", state.user(id: comment.authorID).map(userSummary) ?? .null),
            ("added", .string(Timestamp.iso8601(comment.added))),
            ("modified", .string(Timestamp.iso8601(comment.modified))),
            ("parent_id", comment.parentID.map { .integer($0) } ?? .null),
            ("parent_url", comment.parentID.map { .string("\(api)/comments/\($0)") } ?? .null),
            ("target_type", .string(comment.target.names.type)),
            ("target_id", .integer(comment.target.id)),
            ("target_url", .string("\(api)/\(comment.target.names.path)/\(comment.target.id)")),
            ("public_url", .string("\(web)/comment:\(comment.id)")),
            ("is_deleted", .bool(false)),
            ("reply_count", .integer(state.comments.filter { $0.parentID == comment.id }.count)),
        ])
    }

    /// `GET .../threaded-comments`: `{"comments": {"": [top level], "PARENT_ID": [replies]},
    /// "users": {"USER_ID": user}}`, threads oldest first, as the reference describes it.
    func threadedComments(_ comments: [SimComment], in state: SimulatorState) -> JSONValue {
        var threads: [(String, [JSONValue])] = []
        var authorIDs: [Int] = []
        for comment in comments {
            let key = comment.parentID.map(String.init) ?? ""
            if let index = threads.firstIndex(where: { $0.0 == key }) {
                threads[index].1.append(self.comment(comment, in: state))
            } else {
                threads.append((key, [self.comment(comment, in: state)]))
            }
            if !authorIDs.contains(comment.authorID) { authorIDs.append(comment.authorID) }
        }
        let users = authorIDs.compactMap(state.user(id:)).map { (String($0.id), userSummary($0)) }
        return .object([
            ("comments", .object(threads.map { ($0.0, .array($0.1)) })),
            ("users", .object(users)),
        ])
    }

    func group(_ group: SimGroup, in state: SimulatorState, viewerID: Int) -> JSONValue {
        let base = "\(api)/groups/\(group.id)"
        let topics = state.groupTopics.filter { $0.groupID == group.id }
        return .object([
            ("id", .integer(group.id)),
            ("name", .string(group.name)),
            ("slug", .string(group.slug)),
            ("description", .string(group.description)),
            ("url", .string(base)),
            ("public_url", .string("\(web)/groups/\(group.slug)")),
            ("thumbnail", .string(group.imageKey.map(storageURL) ?? mediaURL("groups/\(group.slug)", size: .thumb))),
            ("owner", state.user(id: group.ownerID).map(userSummary) ?? .null),
            ("member_count", .integer(group.members.count)),
            ("thing_count", .integer(group.things.count)),
            ("topic_count", .integer(topics.count)),
            ("is_member", .bool(group.isMember(viewerID))),
            ("is_owner", .bool(group.ownerID == viewerID)),
            ("members_url", .string("\(base)/members")),
            ("things_url", .string("\(base)/things")),
            ("topics_url", .string("\(base)/group-topics")),
            ("added", .string(Timestamp.iso8601(group.added))),
            ("modified", .string(Timestamp.iso8601(group.modified))),
        ])
    }

    func groupTopic(_ topic: SimGroupTopic, in state: SimulatorState) -> JSONValue {
        let base = "\(api)/group-topics/\(topic.id)"
        return .object([
            ("id", .integer(topic.id)),
            ("name", .string(topic.name)),
            ("body", .string(topic.body)),
            ("url", .string(base)),
            ("group_id", .integer(topic.groupID)),
            ("group_url", .string("\(api)/groups/\(topic.groupID)")),
            ("creator", state.user(id: topic.authorID).map(userSummary) ?? .null),
            ("is_pinned", .bool(topic.isPinned)),
            ("comment_count", .integer(state.comments.filter { $0.target == .groupTopic(topic.id) }.count)),
            ("comments_url", .string("\(base)/comments")),
            ("added", .string(Timestamp.iso8601(topic.added))),
            ("modified", .string(Timestamp.iso8601(topic.modified))),
        ])
    }

    /// A group member: the user, their role and when they joined.
    func groupMember(_ user: SimUser, membership: SimGroup.Membership, group: SimGroup) -> JSONValue {
        .object(
            userMembers(user, full: false) + [
                ("is_owner", .bool(group.ownerID == user.id)), ("joined", .string(Timestamp.iso8601(membership.joined))),
            ])
    }

    /// What `POST /things/{id}/files` and the other upload requests answer: the storage
    /// `action` to POST `multipart/form-data` to and the `fields` to send before the file.
    func uploadForm(_ upload: PendingUpload, contentType: String) -> JSONValue {
        let policy = JSONValue.object([
            ("expiration", .string(Timestamp.iso8601(upload.added + 3_600))),
            ("key", .string(upload.storageKey)),
        ])
        return .object([
            ("action", .string("\(api)/_uploads")),
            (
                "fields",
                .object([
                    ("AWSAccessKeyId", .string("SIMULATOR")),
                    ("bucket", .string("thingiverse-simulator")),
                    ("key", .string(upload.storageKey)),
                    ("acl", .string("public-read")),
                    ("success_action_redirect", .string("\(api)/files/\(upload.id)/finalize")),
                    ("policy", .string(Data(policy.bytes).base64EncodedString())),
                    ("signature", .string(upload.signature)),
                    ("Content-Type", .string(contentType)),
                    ("Content-Disposition", .string("attachment; filename=\"\(upload.filename)\"")),
                ])
            ),
        ])
    }
}
