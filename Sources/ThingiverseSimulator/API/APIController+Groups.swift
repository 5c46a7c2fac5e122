import HTTPTypes

/// Groups: their members, things (some featured) and topics, and the topics themselves.
/// Owners change the group, pin topics and remove members; members post topics and add things.
extension APIController {
    /// The `groups/...` and `group-topics/...` endpoints of `routes`.
    static let groupRoutes: [APIRoute] = [
        // `filter=my-groups`, `sort=members|topics|activity|newest` (descending, default members), `search` in name and
        // description.
        APIRoute(.get, "groups") { api, state, call throws(APIError) in
            var groups = state.groups
            switch call.query["filter"] {
            case nil, "", "all": break
            case "my-groups": groups = groups.filter { $0.isMember(call.viewerID) }
            case let other?: throw .badRequest("filter must be my-groups or all, not \"\(other)\".", code: "invalid_parameter")
            }
            if let search = call.query["search"]?.trimmingWhitespace.lowercased(), !search.isEmpty {
                groups = groups.filter { $0.name.lowercased().contains(search) || $0.description.lowercased().contains(search) }
            }
            let snapshot = state
            let topicCount = { (group: SimGroup) in snapshot.groupTopics.filter { $0.groupID == group.id }.count }
            switch call.query["sort"] ?? "members" {
            case "members", "": groups.sort { ($0.members.count, $1.id) > ($1.members.count, $0.id) }
            case "topics": groups.sort { (topicCount($0), $1.id) > (topicCount($1), $0.id) }
            case "activity": groups.sort { ($0.modified, $0.id) > ($1.modified, $1.id) }
            case "newest": groups.sort { ($0.added, $0.id) > ($1.added, $1.id) }
            case let other: throw .badRequest("sort must be members, topics, activity or newest, not \"\(other)\".", code: "invalid_parameter")
            }
            return .list(groups.map { api.presenter.group($0, in: state, viewerID: call.viewerID) })
        },
        // `name`, `description` and a unique `slug`; the caller owns it and is its first member.
        APIRoute(.post, "groups") { api, state, call throws(APIError) in
            let fields = try call.bodyFields()
            let name = try fields.requiredString("name", what: "A group")
            let description = try fields.string("description") ?? ""
            let slug = try fields.string("slug").map(Self.normalizedTag) ?? Self.normalizedTag(name).replacingUnderscores
            guard !slug.isEmpty else { throw .badRequest("A group needs a slug.", code: "invalid_field") }
            guard !state.groups.contains(where: { $0.slug == slug }) else {
                throw .badRequest("The slug \"\(slug)\" is taken by another group.", code: "invalid_field")
            }
            let group = SimGroup(
                id: state.newID(), name: name, slug: slug, description: description, ownerID: call.viewerID,
                members: [.init(userID: call.viewerID, joined: call.now)], things: [], added: call.now, modified: call.now)
            state.groups.append(group)
            return .object(api.presenter.group(group, in: state, viewerID: call.viewerID), status: .created)
        },
        APIRoute(.get, "groups/:id") { .object($0.presenter.group(try $2.record(in: $1.groups, what: "group"), in: $1, viewerID: $2.viewerID)) },
        // Owner only; `name`, `description`.
        APIRoute(.patch, "groups/:id") { api, state, call throws(APIError) in
            let index = try call.index(in: state.groups, what: "group", only: "the owner", can: "change it") { $0.ownerID == call.viewerID }
            let fields = try call.bodyFields()
            if let name = try fields.nonBlankString("name") { state.groups[index].name = name }
            if let description = try fields.string("description") { state.groups[index].description = description }
            state.groups[index].modified = call.now
            return .object(api.presenter.group(state.groups[index], in: state, viewerID: call.viewerID))
        },
        APIRoute(.post, "groups/:id/image") { api, state, call in
            let index = try call.index(in: state.groups, what: "group", only: "the owner", can: "change its image") {
                $0.ownerID == call.viewerID
            }
            return try api.startUpload(&state, call, purpose: .groupImage(groupID: state.groups[index].id), isImage: true)
        },
        // Pinned first, then newest.
        APIRoute(.get, "groups/:id/group-topics") { api, state, call in
            let group = try call.record(in: state.groups, what: "group")
            let topics = state.groupTopics.filter { $0.groupID == group.id }
                .sorted { ($0.isPinned ? 1 : 0, $0.added, $0.id) > ($1.isPinned ? 1 : 0, $1.added, $1.id) }
            return .list(topics.map { api.presenter.groupTopic($0, in: state) })
        },
        // Members only; `name` and `body`.
        APIRoute(.post, "groups/:id/group-topics") { api, state, call throws(APIError) in
            let index = try call.index(in: state.groups, what: "group", only: "members", can: "start topics") { $0.isMember(call.viewerID) }
            let fields = try call.bodyFields()
            let name = try fields.requiredString("name", what: "A topic")
            let topic = SimGroupTopic(
                id: state.newID(), groupID: state.groups[index].id, authorID: call.viewerID, name: name, body: try fields.string("body") ?? "",
                isPinned: false, added: call.now, modified: call.now)
            state.groupTopics.append(topic)
            state.groups[index].modified = call.now
            return .object(api.presenter.groupTopic(topic, in: state), status: .created)
        },
        // `sort=newest|popular` (descending), or `search` in names.
        APIRoute(.get, "groups/:id/things") { api, state, call throws(APIError) in
            let group = try call.record(in: state.groups, what: "group")
            var entries = group.things.filter { state.visibleThing(id: $0.thingID, viewerID: call.viewerID) != nil }
            if let search = call.query["search"]?.trimmingWhitespace.lowercased(), !search.isEmpty {
                entries = entries.filter { state.thing(id: $0.thingID)?.name.lowercased().contains(search) ?? false }
            } else {
                switch call.query["sort"] ?? "newest" {
                case "newest", "": entries.sort { ($0.added, $0.thingID) > ($1.added, $1.thingID) }
                case "popular":
                    let snapshot = state
                    let likes = { (entry: SimGroup.Entry) in snapshot.thing(id: entry.thingID).map(snapshot.likeCount(of:)) ?? 0 }
                    entries.sort { (likes($0), $0.thingID) > (likes($1), $1.thingID) }
                case let other: throw .badRequest("sort must be newest or popular, not \"\(other)\".", code: "invalid_parameter")
                }
            }
            return .list(
                entries.compactMap { entry in
                    state.thing(id: entry.thingID).map { thing in
                        .object(api.presenter.thingSummaryMembers(thing, in: state, viewerID: call.viewerID) + [("group_rank", .integer(entry.rank))])
                    }
                })
        },
        // Members only; ok even when it is already there.
        APIRoute(.post, "groups/:id/things/:thing_id") { api, state, call throws(APIError) in
            let index = try call.index(in: state.groups, what: "group", only: "members", can: "add things") { $0.isMember(call.viewerID) }
            let thingID = try call.id("thing_id", what: "thing")
            guard state.visibleThing(id: thingID, viewerID: call.viewerID) != nil else {
                throw .notFound("No thing with id \(thingID).")
            }
            if !state.groups[index].things.contains(where: { $0.thingID == thingID }) {
                state.groups[index].things.append(SimGroup.Entry(thingID: thingID, added: call.now))
                state.groups[index].modified = call.now
            }
            return .ok
        },
        // Members only; 400 when it is not in the group.
        APIRoute(.delete, "groups/:id/things/:thing_id") { api, state, call throws(APIError) in
            let index = try call.index(in: state.groups, what: "group", only: "members", can: "remove things") { $0.isMember(call.viewerID) }
            let thingID = try call.id("thing_id", what: "thing")
            guard state.groups[index].things.contains(where: { $0.thingID == thingID }) else {
                throw .badRequest("Thing \(thingID) is not in group \(state.groups[index].id).")
            }
            state.groups[index].things.removeAll { $0.thingID == thingID }
            state.groups[index].modified = call.now
            return .ok
        },
        // Owner only; `rank` 1...3 features the thing, 0 stops featuring it (400 to rank a featured thing again, or to
        // unfeature one that is not).
        APIRoute(.patch, "groups/:id/things/:thing_id") { api, state, call throws(APIError) in
            let index = try call.index(in: state.groups, what: "group", only: "the owner", can: "feature things") { $0.ownerID == call.viewerID }
            let group = state.groups[index]
            let thingID = try call.id("thing_id", what: "thing")
            guard let position = group.things.firstIndex(where: { $0.thingID == thingID }) else {
                throw .notFound("Thing \(thingID) is not in group \(group.id).")
            }
            guard let rank = try call.bodyFields().integer("rank"), (0...3).contains(rank) else {
                throw .badRequest("rank must be a number from 0 (not featured) to 3.", code: "invalid_field")
            }
            let current = group.things[position].rank
            if rank > 0 && current > 0 {
                throw .badRequest("Thing \(thingID) is already featured; send rank 0 first.")
            }
            if rank == 0 && current == 0 {
                throw .badRequest("Thing \(thingID) is not featured.")
            }
            state.groups[index].things[position].rank = rank
            return .ok
        },
        // The owner first, then by date joined.
        APIRoute(.get, "groups/:id/members") { api, state, call throws(APIError) in
            let group = try call.record(in: state.groups, what: "group")
            let ordered = group.members.sorted { lhs, rhs in
                (lhs.userID == group.ownerID ? 0 : 1, lhs.joined, lhs.userID) < (rhs.userID == group.ownerID ? 0 : 1, rhs.joined, rhs.userID)
            }
            return .list(
                ordered.compactMap { membership in
                    state.user(id: membership.userID).map { api.presenter.groupMember($0, membership: membership, group: group) }
                })
        },
        // Joins; 400 for a member.
        APIRoute(.post, "groups/:group_id/members") { api, state, call throws(APIError) in
            let index = try call.index(in: state.groups, "group_id", what: "group")
            guard !state.groups[index].isMember(call.viewerID) else {
                throw .badRequest("You are already a member of group \(state.groups[index].id).")
            }
            state.groups[index].members.append(.init(userID: call.viewerID, joined: call.now))
            return .ok
        },
        APIRoute(.delete, "groups/:group_id/members") { try $0.leaveGroup(&$1, $2) },
        APIRoute(.delete, "groups/:group_id/members/:user_id") { try $0.leaveGroup(&$1, $2) },
        APIRoute(.get, "group-topics/:id") { .object($0.presenter.groupTopic(try $2.record(in: $1.groupTopics, what: "group topic"), in: $1)) },
        // Its author or the group owner; `name`, `body`.
        APIRoute(.patch, "group-topics/:id") { api, state, call throws(APIError) in
            let index = try call.index(in: state.groupTopics, what: "group topic")
            let topic = state.groupTopics[index]
            guard topic.authorID == call.viewerID || state.group(id: topic.groupID)?.ownerID == call.viewerID else {
                throw .forbidden("Only the author or the group owner can change topic \(topic.id).")
            }
            let fields = try call.bodyFields()
            if let name = try fields.nonBlankString("name") { state.groupTopics[index].name = name }
            if let body = try fields.string("body") { state.groupTopics[index].body = body }
            state.groupTopics[index].modified = call.now
            return .object(api.presenter.groupTopic(state.groupTopics[index], in: state))
        },
        APIRoute(.post, "group-topics/:id/pin") { try $0.setPinned(true, &$1, $2) },
        APIRoute(.delete, "group-topics/:id/pin") { try $0.setPinned(false, &$1, $2) },
    ]

    /// `DELETE /groups/{group_id}/members[/{user_id}]`: leaves, or (owner only) removes
    /// `user_id`; the owner cannot leave their own group.
    func leaveGroup(_ state: inout SimulatorState, _ call: APICall) throws(APIError) -> APIReply {
        let index = try call.index(in: state.groups, "group_id", what: "group")
        let group = state.groups[index]
        let userID = call.parameters["user_id"] == nil ? call.viewerID : try call.id("user_id", what: "user")
        guard state.user(id: userID) != nil else { throw .notFound("No user with id \(userID).") }
        guard userID == call.viewerID || group.ownerID == call.viewerID else {
            throw .forbidden("Only the owner of group \(group.id) can remove other members.")
        }
        guard userID != group.ownerID else { throw .badRequest("The owner cannot leave group \(group.id).") }
        guard group.isMember(userID) else { throw .badRequest("User \(userID) is not a member of group \(group.id).") }
        state.groups[index].members.removeAll { $0.userID == userID }
        return .ok
    }

    /// `POST` (pin) and `DELETE /group-topics/{id}/pin` (unpin): the group owner only.
    func setPinned(_ pinned: Bool, _ state: inout SimulatorState, _ call: APICall) throws(APIError) -> APIReply {
        let index = try call.index(in: state.groupTopics, what: "group topic")
        let topic = state.groupTopics[index]
        guard state.group(id: topic.groupID)?.ownerID == call.viewerID else {
            throw .forbidden("Only the owner of group \(topic.groupID) can pin or unpin its topics.")
        }
        state.groupTopics[index].isPinned = pinned
        return .object(presenter.groupTopic(state.groupTopics[index], in: state))
    }
}

extension String {
    /// `garden_and_balcony` -> `garden-and-balcony`, for slugs made from names.
    var replacingUnderscores: String { String(self.map { $0 == "_" ? "-" : $0 }) }
}
