extension APIController {
    /// Published things, newest first (drafts never appear in public lists).
    func publishedThings(_ state: SimulatorState) -> [SimThing] {
        state.things.filter(\.isPublished).sorted { ($0.added, $0.id) > ($1.added, $1.id) }
    }

    func publishedThings(_ state: SimulatorState, inCategory slug: String) -> [SimThing] {
        publishedThings(state).filter { $0.categorySlug == slug }
    }

    /// How many published things carry each tag.
    func tagCounts(_ state: SimulatorState) -> [String: Int] {
        var counts: [String: Int] = [:]
        for thing in state.things where thing.isPublished {
            for tag in thing.tags { counts[tag, default: 0] += 1 }
        }
        return counts
    }

    /// Copies in their JSON form, in the order given.
    func copies(_ copies: [SimCopy], _ state: SimulatorState, _ call: APICall) -> APIReply {
        .list(copies.map { presenter.copy($0, in: state, viewerID: call.viewerID) })
    }

    /// Collections, newest first.
    func collections(_ collections: [SimCollection], _ state: SimulatorState, _ call: APICall) -> APIReply {
        .list(collections.sorted { $0.added > $1.added }.map { presenter.collection($0, in: state, viewerID: call.viewerID) })
    }

    /// A category with the number of published things in it.
    func category(_ category: SimCategory, _ state: SimulatorState, full: Bool) -> JSONValue {
        presenter.category(category, count: publishedThings(state, inCategory: category.slug).count, full: full)
    }

    /// A list of things in their short form; `GET /newest`, `/featured` and `/verified` are the
    /// published things (newest first), featured ones and ones Thingiverse has verified.
    func summaries(_ things: [SimThing], _ state: SimulatorState, _ call: APICall) -> APIReply {
        .list(things.map { presenter.thingSummary($0, in: state, viewerID: call.viewerID) })
    }

    /// `GET /search/{term}`: name, description or tag matches; 404 when nothing matches.
    func search(_ state: inout SimulatorState, _ call: APICall) throws(APIError) -> APIReply {
        let term = call.parameter("term").trimmingWhitespace.lowercased()
        let tag = Self.normalizedTag(term)
        let matches = publishedThings(state).filter { thing in
            thing.name.lowercased().contains(term) || thing.description.lowercased().contains(term)
                || thing.tags.contains(tag)
        }
        let ranked =
            matches.filter { $0.name.lowercased().contains(term) }
            + matches.filter { !$0.name.lowercased().contains(term) }
        guard !ranked.isEmpty else { throw .notFound("No things match \"\(call.parameter("term"))\".") }
        return summaries(ranked, state, call)
    }

    /// `GET /popular`: most liked first.
    func popular(_ state: inout SimulatorState, _ call: APICall) throws(APIError) -> APIReply {
        let things = publishedThings(state).map { ($0, state.likeCount(of: $0)) }
            .sorted { ($0.1, $1.0.id) > ($1.1, $0.0.id) }
            .map(\.0)
        return summaries(things, state, call)
    }

    /// `GET /collections/{id}/things`: in the order added, or `sort=name|date` with `order=asc|desc`.
    func collectionThings(_ state: inout SimulatorState, _ call: APICall) throws(APIError) -> APIReply {
        let collection = try call.record(in: state.collections, what: "collection")
        var things = collection.thingIDs.compactMap { state.visibleThing(id: $0, viewerID: call.viewerID) }
        if call.query["sort"] == "name" {
            things.sort { $0.name.lowercased() < $1.name.lowercased() }
        }
        if call.query["order"] == "desc" {
            things.reverse()
        }
        return summaries(things, state, call)
    }

    /// The category `:slug` names (404 if there is none).
    func namedCategory(_ state: SimulatorState, _ call: APICall) throws(APIError) -> SimCategory {
        let slug = call.parameter("slug")
        guard let category = state.categories.first(where: { $0.slug == slug.lowercased() }) else {
            throw .notFound("No category \"\(slug)\".")
        }
        return category
    }

    /// `GET /search/{term}/library`: matches among the caller's things, likes, collected and
    /// downloaded things (an empty list when nothing matches).
    func searchLibrary(_ state: inout SimulatorState, _ call: APICall) throws(APIError) -> APIReply {
        let term = call.parameter("term").trimmingWhitespace.lowercased()
        let tag = Self.normalizedTag(term)
        var library: Set<Int> = Set(state.things.filter { $0.ownerID == call.viewerID }.map(\.id))
        library.formUnion(state.likes.filter { $0.userID == call.viewerID }.map(\.thingID))
        library.formUnion(state.collections.filter { $0.ownerID == call.viewerID }.flatMap(\.thingIDs))
        library.formUnion(state.downloads.filter { $0.userID == call.viewerID }.map(\.thingID))
        let matches = state.visibleThings(viewerID: call.viewerID)
            .filter { library.contains($0.id) }
            .filter { term.isEmpty || $0.name.lowercased().contains(term) || $0.tags.contains(tag) }
            .sorted { ($0.added, $0.id) > ($1.added, $1.id) }
        return summaries(matches, state, call)
    }
}
