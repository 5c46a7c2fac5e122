import HTTPTypes

extension APIController {
    /// The endpoints that browse things: `search`, `newest`, `popular`, `featured`, `verified`, `categories`, `tags`.
    static let browseRoutes: [APIRoute] = [
        APIRoute(.get, "search") { $0.summaries($0.publishedThings($1), $1, $2) },
        // Name, description or tag matches; 404 when nothing matches.
        APIRoute(.get, "search/:term") { api, state, call throws(APIError) in
            let term = call.parameter("term").trimmingWhitespace.lowercased()
            let tag = Self.normalizedTag(term)
            let matches = api.publishedThings(state).filter { thing in
                thing.name.lowercased().contains(term) || thing.description.lowercased().contains(term)
                    || thing.tags.contains(tag)
            }
            let ranked =
                matches.filter { $0.name.lowercased().contains(term) }
                + matches.filter { !$0.name.lowercased().contains(term) }
            guard !ranked.isEmpty else { throw .notFound("No things match \"\(call.parameter("term"))\".") }
            return api.summaries(ranked, state, call)
        },
        // Matches among the caller's things, likes, collected and downloaded things (an empty list when nothing
        // matches).
        APIRoute(.get, "search/:term/library") { api, state, call throws(APIError) in
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
            return api.summaries(matches, state, call)
        },
        APIRoute(.get, "newest") { $0.summaries($0.publishedThings($1), $1, $2) },
        // Most liked first.
        APIRoute(.get, "popular") { api, state, call throws(APIError) in
            let things = api.publishedThings(state).map { ($0, state.likeCount(of: $0)) }
                .sorted { ($0.1, $1.0.id) > ($1.1, $0.0.id) }
                .map(\.0)
            return api.summaries(things, state, call)
        },
        APIRoute(.get, "featured") { $0.summaries($0.publishedThings($1).filter(\.isFeatured), $1, $2) },
        APIRoute(.get, "verified") { $0.summaries($0.publishedThings($1).filter(\.isVerified), $1, $2) },
        APIRoute(.get, "categories") { api, state, _ in .list(state.categories.map { api.category($0, state, full: false) }) },
        APIRoute(.get, "categories/:slug") { .object($0.category(try $0.namedCategory($1, $2), $1, full: true)) },
        APIRoute(.get, "categories/:slug/things") { $0.summaries($0.publishedThings($1, inCategory: try $0.namedCategory($1, $2).slug), $1, $2) },
        APIRoute(.get, "tags") { api, state, _ in
            .list(api.tagCounts(state).sorted { $0.key < $1.key }.map { api.presenter.tagSummary($0.key, count: $0.value) })
        },
        APIRoute(.get, "tags/:tag") { api, state, call in
            let tag = Self.normalizedTag(call.parameter("tag"))
            guard let count = api.tagCounts(state)[tag] else { throw APIError.notFound("No tag \"\(call.parameter("tag"))\".") }
            return .object(api.presenter.tagSummary(tag, count: count))
        },
        APIRoute(.get, "tags/:tag/things") { api, state, call in
            let tag = Self.normalizedTag(call.parameter("tag"))
            let things = api.publishedThings(state).filter { $0.tags.contains(tag) }
            guard !things.isEmpty else { throw APIError.notFound("No tag \"\(call.parameter("tag"))\".") }
            return api.summaries(things, state, call)
        },
    ]

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

    /// The category `:slug` names (404 if there is none).
    func namedCategory(_ state: SimulatorState, _ call: APICall) throws(APIError) -> SimCategory {
        let slug = call.parameter("slug")
        guard let category = state.categories.first(where: { $0.slug == slug.lowercased() }) else {
            throw .notFound("No category \"\(slug)\".")
        }
        return category
    }
}
