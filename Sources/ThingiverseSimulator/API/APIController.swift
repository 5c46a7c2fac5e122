import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// The REST API of api.thingiverse.com. Every path below the prefix comes here, so that
/// unknown paths get a JSON 404, a trailing slash is optional everywhere, and each request
/// passes the same steps: log, faults, bearer token, rate limit, route, page.
struct APIController: Sendable {
    let simulator: ThingiverseSimulator
    /// Path prefix the API is mounted at, e.g. "/api" or "/sim/api".
    let prefix: String
    /// Made per use: the base URLs can be set after start (see `ThingiverseSimulator.setBaseURLs`).
    var presenter: Presenter { Presenter(configuration: simulator.configuration) }

    init(simulator: ThingiverseSimulator, prefix: String) {
        self.simulator = simulator
        self.prefix = prefix
    }

    func addRoutes<Context: RequestContext>(to routes: RouteCollection<Context>) {
        routes.addCatchAll(below: prefix) { request, context in
            try await self.handle(request: request, context: context)
        }
    }

    /// Answers one API request.
    func handle(request: Request, context: some RequestContext) async throws -> Response {
        simulator.record(request, prefix: prefix)
        let relativePath = String(request.uri.path.dropFirst(prefix.count))
        let segments = relativePath.pathSegments(below: "")
        switch segments.first {
        case "_media":
            return MediaResponder.respond(method: request.method, segments: Array(segments.dropFirst()))
        case "_storage":
            return StorageResponder(simulator: simulator).respond(method: request.method, segments: Array(segments.dropFirst()))
        case "_uploads" where segments.count == 1:
            return try await UploadReceiver(simulator: simulator).receive(request: request, context: context)
        default:
            break
        }
        if let fault = try await simulator.faultResponse() {
            return fault
        }
        let input = try await RequestInput.read(request, context: context)
        let presentedToken = BearerToken.value(in: request.headers[.authorization]) ?? input.queryParameters["access_token"]
        let configuration = simulator.configuration
        let now = ContinuousClock.now
        let epoch = Timestamp.now()

        let (response, webhooks) = simulator.state.withLock { state -> (Response, [OutgoingDelivery]) in
            let response = answer(
                request: request, relativePath: relativePath, segments: segments, input: input,
                presentedToken: presentedToken, configuration: configuration, now: now, epoch: epoch, state: &state)
            defer { state.outbox.removeAll() }
            return (response, state.outbox)
        }
        simulator.deliveries.dispatch(webhooks)
        return response
    }

    /// Authenticates, counts and routes one request inside the state's lock.
    private func answer(
        request: Request, relativePath: String, segments: [String], input: RequestInput, presentedToken: String?,
        configuration: SimulatorConfiguration, now: ContinuousClock.Instant, epoch: Int, state: inout SimulatorState
    ) -> Response {
        let query = input.queryParameters
        guard let presentedToken, !presentedToken.isEmpty else {
            return Self.unauthorized(
                "missing_token",
                "Send an access token in the Authorization: Bearer header or the access_token parameter.")
        }
        guard let token = state.tokens[presentedToken] else {
            return Self.unauthorized("invalid_token", "The access token is unknown or has been revoked.")
        }
        let rate = state.rateBudgets.consume(
            key: token.value, limit: configuration.rateLimit, window: configuration.rateWindow, now: now, epoch: epoch)
        var headers = rate.headers(withReset: true)
        if let retryAfter = rate.retryAfter {
            headers[.retryAfter] = String(retryAfter)
            return .jsonError(
                .tooManyRequests, code: "rate_limited",
                message: "Rate limit of \(configuration.rateLimit) requests exceeded; retry in \(retryAfter) s.",
                headers: headers)
        }
        do {
            let (route, parameters) = try Self.route(method: request.method, segments: segments)
            let call = APICall(
                parameters: parameters, query: query, input: input, token: token, now: epoch,
                webhookURL: configuration.app(clientID: token.clientID)?.webhookURL)
            switch try route.handle(self, &state, call) {
            case .object(let value, let status):
                return .json(value, status: status, headers: headers)
            case .list(let items):
                let pagination = try Pagination(query: query)
                let base = configuration.api + relativePath.droppingTrailingSlashes
                if let link = pagination.linkHeader(
                    total: items.count, baseURL: base,
                    otherQuery: Pagination.preservedQueryItems(input.query))
                {
                    headers[HTTPField.Name("Link")!] = link
                }
                return .json(.array(pagination.slice(items)), headers: headers)
            case .redirect(let location):
                headers[.location] = location
                headers[.cacheControl] = "no-store"
                return .json(.object([("url", .string(location))]), status: .found, headers: headers)
            }
        } catch let error as APIError {
            return .json(error.json, status: error.status, headers: headers)
        } catch {
            return .jsonError(
                .internalServerError, code: "internal_error", message: "The simulator failed: \(error)",
                headers: headers)
        }
    }

    /// The route for a path, or 404 (no such path) / 405 (path exists, method does not).
    static func route(method: HTTPRequest.Method, segments: [String]) throws(APIError) -> (APIRoute, [String: String]) {
        switch routes.lookup(method: method, segments: segments) {
        case .found(let route, let parameters):
            return (route, parameters)
        case .methodNotAllowed:
            throw APIError(
                status: .methodNotAllowed, code: "method_not_allowed",
                message: "\(method.rawValue) is not supported on /\(segments.joined(separator: "/")).")
        case .notFound:
            throw .notFound("There is no API endpoint at /\(segments.joined(separator: "/")).")
        }
    }

    static func unauthorized(_ code: String, _ message: String) -> Response {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = "Bearer realm=\"Thingiverse\""
        return .jsonError(.unauthorized, code: code, message: message, headers: headers)
    }
}

/// One endpoint of the Thingiverse API.
typealias APIRoute = SimulatorRoute<@Sendable (APIController, inout SimulatorState, APICall) throws -> APIReply>

extension APIController {
    /// Every endpoint the simulator implements: each `METHOD /path` of the Thingiverse REST
    /// reference, plus `GET /comments` (the reference's "no id" form of `GET /comments/{id}`).
    static let routes: [APIRoute] =
        [
            APIRoute(.get, "users/:name") { .object($0.presenter.user(try $0.user($1, $2), in: $1, viewerID: $2.viewerID)) },
            APIRoute(.patch, "users/:name") { try $0.updateUser(&$1, $2) },
            APIRoute(.get, "users/:name/things") { try $0.userThings(liked: false, &$1, $2) },
            APIRoute(.get, "users/:name/likes") { try $0.userThings(liked: true, &$1, $2) },
            APIRoute(.get, "users/:name/collections") { api, state, call in
                let owner = try api.user(state, call)
                return api.collections(state.collections.filter { $0.ownerID == owner.id }, state, call)
            },
            APIRoute(.get, "users/:name/copies") { api, state, call in
                let maker = try api.user(state, call)
                return api.copies(state.copies.filter { $0.makerID == maker.id }.sorted { $0.added > $1.added }, state, call)
            },
            APIRoute(.get, "users/:name/downloads") { try $0.userDownloads(&$1, $2) },
            APIRoute(.get, "users/:name/event-count") { try $0.userEventCount(&$1, $2) },
            APIRoute(.post, "users/:name/followers") { try $0.setFollowing(true, &$1, $2) },
            APIRoute(.delete, "users/:name/followers") { try $0.setFollowing(false, &$1, $2) },
            APIRoute(.post, "users/:name/avatar-image") { try $0.uploadProfileImage(cover: false, &$1, $2) },
            APIRoute(.post, "users/:name/cover-image") { try $0.uploadProfileImage(cover: true, &$1, $2) },

            APIRoute(.post, "things") { try $0.createThing(&$1, $2) },
            APIRoute(.get, "things/:id") { .object($0.presenter.thing(try $0.visibleThing($1, $2), in: $1, viewerID: $2.viewerID)) },
            APIRoute(.patch, "things/:id") { try $0.updateThing(&$1, $2) },
            APIRoute(.delete, "things/:id") { try $0.deleteThing(&$1, $2) },
            APIRoute(.post, "things/:id/publish") { try $0.publishThing(&$1, $2) },
            APIRoute(.get, "things/:id/images") { try $0.thingMembers(\.images, $1, $2, show: $0.presenter.image(_:of:)) },
            APIRoute(.get, "things/:id/images/:image_id") {
                try $0.thingMembers(\.images, $1, $2, one: ("image_id", "image"), show: $0.presenter.image(_:of:))
            },
            APIRoute(.patch, "things/:id/images/:image_id") { try $0.updateThingImage(&$1, $2) },
            APIRoute(.delete, "things/:id/images/:image_id") { try $0.deleteThingImage(&$1, $2) },
            APIRoute(.get, "things/:id/files") { try $0.thingMembers(\.files, $1, $2, show: $0.presenter.file) },
            APIRoute(.post, "things/:id/files") { api, state, call in
                let thing = try api.ownedThing(state, call, action: "add files to")
                return try api.startUpload(&state, call, purpose: .thingFile(thingID: thing.id), isImage: false)
            },
            APIRoute(.get, "things/:id/files/:file_id") {
                try $0.thingMembers(\.files, $1, $2, one: ("file_id", "file"), show: $0.presenter.file)
            },
            APIRoute(.delete, "things/:id/files/:file_id") { try $0.deleteThingFile(&$1, $2) },
            APIRoute(.get, "things/:id/likes") { api, state, call in
                let thing = try api.visibleThing(state, call)
                let likerIDs = Set(state.likes.filter { $0.thingID == thing.id }.map(\.userID))
                return .list(state.users.filter { likerIDs.contains($0.id) }.map(api.presenter.userSummary))
            },
            APIRoute(.post, "things/:id/likes") { try $0.setThingLiked(true, &$1, $2) },
            APIRoute(.delete, "things/:id/likes") { try $0.setThingLiked(false, &$1, $2) },
            APIRoute(.get, "things/:id/tags") { api, state, call in
                let counts = api.tagCounts(state)
                return .list(try api.visibleThing(state, call).tags.map { api.presenter.tagSummary($0, count: counts[$0] ?? 0) })
            },
            APIRoute(.get, "things/:id/categories") { api, state, call in
                let thing = try api.visibleThing(state, call)
                return .list(state.categories.filter { $0.slug == thing.categorySlug }.map { api.category($0, state, full: false) })
            },
            // The simulator's prints (the prints people reported) are its copies.
            APIRoute(.get, "things/:id/copies") { try $0.thingCopies($1, $2) },
            APIRoute(.post, "things/:id/copies") {
                try $0.startUpload(&$1, $2, purpose: .newCopy(thingID: try $0.visibleThing($1, $2).id), isImage: true)
            },
            // The things this one remixes.
            APIRoute(.get, "things/:id/ancestors") { api, state, call in
                let ancestors = try api.visibleThing(state, call).ancestors
                return api.summaries(ancestors.compactMap { state.visibleThing(id: $0, viewerID: call.viewerID) }, state, call)
            },
            APIRoute(.get, "things/:id/derivatives") { try $0.thingDerivatives(&$1, $2) },
            // Where a ZIP of all the thing's files can be fetched.
            APIRoute(.get, "things/:id/package-url") { api, state, call in
                let url = api.presenter.storageURL("packages/\(try api.visibleThing(state, call).id).zip")
                return .object(.object([("public_url", .string(url)), ("url", .string(url))]))
            },
            APIRoute(.get, "things/:id/prints") { try $0.thingCopies($1, $2) },

            APIRoute(.get, "files/:id") { api, state, call in
                let (thing, file) = try api.visibleFile(state, call)
                return .object(api.presenter.file(file, of: thing))
            },
            APIRoute(.post, "files/:id/finalize") { try $0.finalizeUpload(&$1, $2) },
            APIRoute(.get, "files/:id/download") { try $0.downloadFile(&$1, $2) },

            APIRoute(.get, "copies") { $0.copies($1.copies.sorted { ($0.added, $0.id) > ($1.added, $1.id) }, $1, $2) },
            APIRoute(.get, "copies/:id") { .object($0.presenter.copy(try $2.record(in: $1.copies, what: "copy"), in: $1, viewerID: $2.viewerID)) },
            APIRoute(.patch, "copies/:id") { try $0.updateCopy(&$1, $2) },
            APIRoute(.delete, "copies/:id") { try $0.deleteCopy(&$1, $2) },
            APIRoute(.get, "copies/:id/images") { api, state, call in
                let copy = try call.record(in: state.copies, what: "copy")
                return .list(copy.images.map { api.presenter.image($0, url: "\(api.presenter.api)/copies/\(copy.id)/images/\($0.id)") })
            },
            APIRoute(.post, "copies/:id/images") { api, state, call in
                let index = try call.index(in: state.copies, what: "copy", only: "the maker", can: "add images to it") { $0.makerID == call.viewerID }
                return try api.startUpload(&state, call, purpose: .copyImage(copyID: state.copies[index].id), isImage: true)
            },
            APIRoute(.patch, "copies/:id/images/:image_id") { try $0.updateCopyImage(&$1, $2) },
            APIRoute(.delete, "copies/:id/images/:image_id") { try $0.deleteCopyImage(&$1, $2) },
            APIRoute(.post, "copies/:id/likes") { try $0.setCopyLiked(true, &$1, $2) },
            APIRoute(.delete, "copies/:id/likes") { try $0.setCopyLiked(false, &$1, $2) },

            APIRoute(.get, "collections") { $0.collections($1.collections, $1, $2) },
            APIRoute(.post, "collections") { try $0.createCollection(&$1, $2) },
            APIRoute(.get, "collections/:id") {
                .object($0.presenter.collection(try $2.record(in: $1.collections, what: "collection"), in: $1, viewerID: $2.viewerID))
            },
            APIRoute(.patch, "collections/:id") { try $0.updateCollection(&$1, $2) },
            APIRoute(.delete, "collections/:id") { try $0.deleteCollection(&$1, $2) },
            APIRoute(.get, "collections/:id/things") { try $0.collectionThings(&$1, $2) },
            APIRoute(.post, "collections/:collection_id/thing/:thing_id") { try $0.addToCollection(&$1, $2) },
            APIRoute(.delete, "collections/:collection_id/thing/:thing_id") { try $0.removeFromCollection(&$1, $2) },

            APIRoute(.get, "comments") { try $0.latestComments(&$1, $2) },
            APIRoute(.post, "comments") { try $0.createComment(&$1, $2) },
            APIRoute(.get, "comments/:id") { api, state, call in
                let comment = try call.record(in: state.comments, what: "comment")
                try api.checkTarget(comment.target, state, call)
                return .object(api.presenter.comment(comment, in: state))
            },
            APIRoute(.patch, "comments/:id") { try $0.updateComment(&$1, $2) },
            APIRoute(.delete, "comments/:id") { try $0.deleteComment(&$1, $2) },
            APIRoute(.post, "comments/:id/reply") { api, state, call in
                let parent = try call.record(in: state.comments, what: "comment")
                return try api.addComment(to: parent.target, parentID: parent.id, &state, call)
            },

            APIRoute(.get, "search") { $0.summaries($0.publishedThings($1), $1, $2) },
            APIRoute(.get, "search/:term") { try $0.search(&$1, $2) },
            APIRoute(.get, "search/:term/library") { try $0.searchLibrary(&$1, $2) },
            APIRoute(.get, "newest") { $0.summaries($0.publishedThings($1), $1, $2) },
            APIRoute(.get, "popular") { try $0.popular(&$1, $2) },
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

            APIRoute(.get, "groups") { try $0.allGroups(&$1, $2) },
            APIRoute(.post, "groups") { try $0.createGroup(&$1, $2) },
            APIRoute(.get, "groups/:id") { .object($0.presenter.group(try $2.record(in: $1.groups, what: "group"), in: $1, viewerID: $2.viewerID)) },
            APIRoute(.patch, "groups/:id") { try $0.updateGroup(&$1, $2) },
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
            APIRoute(.post, "groups/:id/group-topics") { try $0.createGroupTopic(&$1, $2) },
            APIRoute(.get, "groups/:id/things") { try $0.groupThings(&$1, $2) },
            APIRoute(.post, "groups/:id/things/:thing_id") { try $0.addGroupThing(&$1, $2) },
            APIRoute(.delete, "groups/:id/things/:thing_id") { try $0.removeGroupThing(&$1, $2) },
            APIRoute(.patch, "groups/:id/things/:thing_id") { try $0.rankGroupThing(&$1, $2) },
            APIRoute(.get, "groups/:id/members") { try $0.groupMembers(&$1, $2) },
            APIRoute(.post, "groups/:group_id/members") { try $0.joinGroup(&$1, $2) },
            APIRoute(.delete, "groups/:group_id/members") { try $0.leaveGroup(&$1, $2) },
            APIRoute(.delete, "groups/:group_id/members/:user_id") { try $0.leaveGroup(&$1, $2) },

            APIRoute(.get, "group-topics/:id") { .object($0.presenter.groupTopic(try $2.record(in: $1.groupTopics, what: "group topic"), in: $1)) },
            APIRoute(.patch, "group-topics/:id") { try $0.updateGroupTopic(&$1, $2) },
            APIRoute(.post, "group-topics/:id/pin") { try $0.setPinned(true, &$1, $2) },
            APIRoute(.delete, "group-topics/:id/pin") { try $0.setPinned(false, &$1, $2) },

            APIRoute(.get, "orders") { _, state, call in .list(state.orders.filter { $0.clientID == call.token.clientID }.map(\.order.json)) },
            APIRoute(.get, "orders/:id") { .object($1.orders[try $0.orderIndex($1, $2)].order.json) },
            APIRoute(.patch, "orders/:id") { try $0.updateOrder(&$1, $2) },
        ]
        + commentRoutes("things", CommentTarget.thing, "thing") + commentRoutes("copies", CommentTarget.copy, "copy")
        + commentRoutes("group-topics", CommentTarget.groupTopic, "group topic")

    /// `GET` and `POST .../comments` and `GET .../threaded-comments` of a thing, copy or group
    /// topic (`kind`), whose `:id` names `what`.
    static func commentRoutes(_ base: String, _ kind: @escaping @Sendable (Int) -> CommentTarget, _ what: String) -> [APIRoute] {
        [
            // Oldest first.
            APIRoute(.get, "\(base)/:id/comments") { api, state, call in
                .list(try api.comments(on: call.target(kind, what), state, call).map { api.presenter.comment($0, in: state) })
            },
            APIRoute(.post, "\(base)/:id/comments") { try $0.addComment(to: $2.target(kind, what), &$1, $2) },
            APIRoute(.get, "\(base)/:id/threaded-comments") { api, state, call in
                .object(api.presenter.threadedComments(try api.comments(on: call.target(kind, what), state, call), in: state))
            },
        ]
    }
}
