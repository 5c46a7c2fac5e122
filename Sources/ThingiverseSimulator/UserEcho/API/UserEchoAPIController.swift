import HTTPTypes
import Hummingbird
import Synchronization

/// UserEcho's API v2 at `PREFIX/api/v2/<command>.json`. Every path below it comes here, so that
/// unknown commands get a JSON 404 and each request passes the same steps: log, faults, key, rate
/// limit, route, acting user, command, hooks.
struct UserEchoAPIController: Sendable {
    let simulator: UserEchoSimulator
    /// Where the simulator is mounted, e.g. "" or "/sim/userecho"; the API is below `/api/v2`.
    let prefix: String
    /// Made per use: the base URL can be set after start (see `UserEchoSimulator.setBaseURL`).
    var presenter: UserEchoPresenter { UserEchoPresenter(base: simulator.configuration.base) }

    var apiPrefix: String { "\(prefix)/api/v2" }

    func addRoutes<Context: RequestContext>(to routes: RouteCollection<Context>) {
        routes.addCatchAll(below: apiPrefix) { request, context in
            try await self.handle(request: request, context: context)
        }
    }

    /// Answers one API request.
    func handle(request: Request, context: some RequestContext) async throws -> Response {
        let segments = Self.commandSegments(path: request.uri.path, apiPrefix: apiPrefix)
        let commandName = segments.isEmpty ? nil : segments.joined(separator: "/") + ".json"
        let input: RequestInput
        do {
            input = try await RequestInput.read(request, context: context)
        } catch {
            simulator.record(request, input: nil, prefix: prefix, command: commandName)
            throw error
        }
        simulator.record(request, input: input, prefix: prefix, command: commandName)
        if let fault = try await simulator.faultResponse() { return fault }
        let configuration = simulator.configuration

        let key = input.queryParameters["access_token"] ?? BearerToken.nonEmptyValue(in: request.headers[.authorization])
        let fields: UserEchoFields
        do {
            guard let key else { throw UserEchoAPIError.missingKey }
            guard key == configuration.apiKey else { throw UserEchoAPIError.wrongKey }
            fields = try UserEchoFields(input: input)
        } catch {
            return Self.reply(error)
        }
        // Decrypting needs no state, so it happens before the lock is taken.
        let profile = ssoProfile(fields)
        let now = ContinuousClock.now
        let timestamp = UserEchoTimestamp.now()

        let (response, outbox) = simulator.state.withLock { state -> (Response, [OutgoingDelivery]) in
            // Hooks are sent only for a command that succeeded, and never twice.
            defer { state.outbox = [] }
            // The key was checked: it is the configured one.
            let rate = state.rateBudgets.consume(
                key: configuration.apiKey, limit: configuration.rateLimit, window: UserEchoState.rateWindow, now: now)
            if let retryAfter = rate.retryAfter {
                var error = UserEchoAPIError(
                    status: .tooManyRequests,
                    message: "Rate limit of \(configuration.rateLimit) requests a minute exceeded; retry in \(retryAfter) s.")
                error.headers[.retryAfter] = String(retryAfter)
                return (Self.reply(error), [])
            }
            do {
                let (route, captures) = try Self.route(method: request.method, segments: segments)
                let actor = try Self.actor(profile: profile, fields: fields, state: &state)
                let call = UserEchoAPICall(captures: captures, fields: fields, input: input, actor: actor, now: timestamp)
                if let action = route.handle.adminAction { try call.requireAdmin(action) }
                let data = try route.handle.run(self, &state, call)
                return (.json(.object([("status", .string("success")), ("data", data)])), state.outbox)
            } catch {
                return (Self.reply(error), [])
            }
        }
        simulator.deliveries.dispatch(outbox)
        return response
    }

    /// The error reply for `error`: its own status for an API error, 500 for anything else.
    static func reply(_ error: any Error) -> Response {
        let failure =
            error as? UserEchoAPIError
            ?? UserEchoAPIError(status: .internalServerError, message: "The simulator failed: \(error)")
        return .json(failure.json, status: failure.status, headers: failure.headers)
    }

    /// The command's path segments (decoded), without the `.json` of the last one:
    /// `/api/v2/forums/1/topics.json` -> `["forums", "1", "topics"]`. A missing `.json` is
    /// tolerated.
    static func commandSegments(path: String, apiPrefix: String) -> [String] {
        var segments = path.pathSegments(below: apiPrefix)
        if let last = segments.last, last.hasSuffix(".json") {
            segments[segments.count - 1] = String(last.dropLast(".json".count))
            if segments[segments.count - 1].isEmpty { segments.removeLast() }
        }
        return segments
    }

    /// The decrypted `sso_token`, if the request has one (an empty one is invalid).
    func ssoProfile(_ fields: UserEchoFields) -> Result<UserEchoSSOProfile, UserEchoSSOError>? {
        guard let value = fields.members["sso_token"] else { return nil }
        guard case .string(let token) = value, !token.isEmpty else { return .failure(.notBase64) }
        return simulator.decodeProfile(token)
    }

    /// Who the request acts as, in UserEcho's order: `sso_token` (a new guid makes a user, a bad
    /// token is 401), `user_sso_guid`, `user_id` (0 is the anonymous visitor); unknown ones, and
    /// none at all, act as the API key's own user.
    static func actor(
        profile: Result<UserEchoSSOProfile, UserEchoSSOError>?, fields: UserEchoFields, state: inout UserEchoState
    ) throws(UserEchoAPIError) -> UserEchoUser {
        let apiUser = state.user(id: UserEchoSeedData.apiUserID) ?? UserEchoSeedData.users[0]
        switch profile {
        case .success(let profile)?: return state.signIn(profile)
        case .failure?: throw .invalidSSOToken
        case nil: break
        }
        if let guid = try fields.string("user_sso_guid") {
            return state.user(guid: guid) ?? apiUser
        }
        if let id = try fields.int("user_id") {
            return id == UserEchoUser.anonymousID ? .anonymous : state.user(id: id) ?? apiUser
        }
        return apiUser
    }

    /// The route for a command, or 404 (no such command) / 405 (command exists, method does not).
    static func route(
        method: HTTPRequest.Method, segments: [String]
    ) throws(UserEchoAPIError) -> (UserEchoAPIRoute, [String: String]) {
        let command = segments.joined(separator: "/")
        switch routes.lookup(method: method, segments: segments) {
        case .found(let route, let captures):
            return (route, captures)
        case .notFound:
            throw .notFound("Unknown API command \"\(command)\".")
        case .methodNotAllowed(let allowed):
            var error = UserEchoAPIError(
                status: .methodNotAllowed, message: "\(method.rawValue) is not supported by \"\(command)\".")
            var methods: [HTTPRequest.Method] = []
            for method in allowed where !methods.contains(method) { methods.append(method) }
            error.headers[.allow] = methods.map(\.rawValue).joined(separator: ", ")
            throw error
        }
    }
}

/// One command: who may run it, and the handler that returns the reply's `data`.
struct UserEchoCommand: Sendable {
    /// What only an admin may do, for the 403 that everyone else gets; `nil` when anyone may.
    var adminAction: String?
    var run: @Sendable (UserEchoAPIController, inout UserEchoState, UserEchoAPICall) throws -> JSONValue
}

typealias UserEchoAPIRoute = SimulatorRoute<UserEchoCommand>

extension SimulatorRoute where Handler == UserEchoCommand {
    /// A command; `admin` names what it does when only admins may run it ("create forums").
    init(
        _ method: HTTPRequest.Method, _ pattern: String, admin: String? = nil,
        _ run: @escaping @Sendable (UserEchoAPIController, inout UserEchoState, UserEchoAPICall) throws -> JSONValue
    ) {
        self.init(method, pattern, UserEchoCommand(adminAction: admin, run: run))
    }
}

extension UserEchoAPIController {
    /// Every command of the reference; literal segments come before captures that could take them.
    /// Lists are paged and filtered by `call.listed`.
    static let routes: [UserEchoAPIRoute] = [
        // Users; `users/current` is the acting user (the `sso_token`'s person, or the API key's own user)
        UserEchoAPIRoute(.get, "users") { api, state, call in try call.listed(state.users.map { api.presenter.user($0) }) },
        UserEchoAPIRoute(.get, "users/current") { api, _, call in api.presenter.user(call.actor) },
        UserEchoAPIRoute(.post, "users/get_or_create", admin: "create users") { try $0.getOrCreateUser(&$1, $2) },
        UserEchoAPIRoute(.get, "users/groups", admin: "see user groups") { api, state, call in
            try call.listed(state.groups.map { api.presenter.group($0, in: state) })
        },
        UserEchoAPIRoute(.post, "users/groups", admin: "create user groups") { try $0.createGroup(&$1, $2) },
        UserEchoAPIRoute(.put, "users/groups", admin: "change user groups") { try $0.updateGroup(&$1, $2) },
        UserEchoAPIRoute(.delete, "users/groups", admin: "delete user groups") { try $0.deleteGroup(&$1, $2) },
        UserEchoAPIRoute(.get, "users/sso/:guid") { api, state, call in
            api.presenter.user(try call.found(state.user(guid: call.captures["guid"] ?? ""), "User"))
        },
        UserEchoAPIRoute(.get, "users/:user") { api, state, call in api.presenter.user(try existingUser(call, in: state)) },
        UserEchoAPIRoute(.get, "users/:user/logout", admin: "log users out") { try $0.logOut(&$1, $2) },
        UserEchoAPIRoute(.post, "users/:user/logout", admin: "log users out") { try $0.logOut(&$1, $2) },
        // A user's own topics and comments in every forum, or anyone's for an admin
        UserEchoAPIRoute(.get, "users/:user/topics") { api, state, call in
            let user = try existingUser(call, in: state)
            try call.requireOwnerOrAdmin(user.id, "You are not allowed to list the topics of another user.")
            return try api.topicList(state, call) { $0.authorID == user.id }
        },
        UserEchoAPIRoute(.get, "users/:user/comments") { api, state, call in
            let user = try existingUser(call, in: state)
            try call.requireOwnerOrAdmin(user.id, "You are not allowed to list the comments of another user.")
            return try api.commentList(state, call) { $0.authorID == user.id }
        },

        // Forums, their types, categories, tags and access lists
        UserEchoAPIRoute(.get, "forums") { api, state, call in try call.listed(state.forums.map { api.presenter.forum($0, in: state) }) },
        UserEchoAPIRoute(.post, "forums", admin: "create forums") { try $0.createForum(&$1, $2) },
        UserEchoAPIRoute(.delete, "forums", admin: "delete forums") { try $0.deleteForum(&$1, $2) },
        UserEchoAPIRoute(.get, "forums/:forum/types") { try $0.labels(.type, &$1, $2) },
        UserEchoAPIRoute(.get, "forums/:forum/categories") { try $0.labels(.category, &$1, $2) },
        UserEchoAPIRoute(.post, "forums/:forum/categories", admin: "create categories") { try $0.createLabel(.category, &$1, $2) },
        UserEchoAPIRoute(.put, "forums/:forum/categories", admin: "change categories") { try $0.updateLabel(.category, &$1, $2) },
        UserEchoAPIRoute(.delete, "forums/:forum/categories", admin: "delete categories") { try $0.deleteLabel(.category, &$1, $2) },
        UserEchoAPIRoute(.get, "forums/:forum/tags") { try $0.labels(.tag, &$1, $2) },
        UserEchoAPIRoute(.post, "forums/:forum/tags", admin: "create tags") { try $0.createLabel(.tag, &$1, $2) },
        UserEchoAPIRoute(.put, "forums/:forum/tags", admin: "change tags") { try $0.updateLabel(.tag, &$1, $2) },
        UserEchoAPIRoute(.delete, "forums/:forum/tags", admin: "delete tags") { try $0.deleteLabel(.tag, &$1, $2) },
        UserEchoAPIRoute(.get, "forums/:forum/access_list", admin: "see access lists") { _, state, call in
            .array(try existingForum(call, in: state).accessList.map { .string($0) })
        },
        UserEchoAPIRoute(.post, "forums/:forum/access_list", admin: "change access lists") { try $0.changeAccessList(adding: true, &$1, $2) },
        UserEchoAPIRoute(.delete, "forums/:forum/access_list", admin: "change access lists") { try $0.changeAccessList(adding: false, &$1, $2) },
        UserEchoAPIRoute(.post, "forums/:forum/upload/:kind", admin: "upload files") { try $0.upload(&$1, $2) },

        // Topics; lists are newest first
        UserEchoAPIRoute(.get, "forums/:forum/topics") { api, state, call in
            let forum = try existingForum(call, in: state)
            return try api.topicList(state, call) { $0.forumID == forum.id }
        },
        UserEchoAPIRoute(.post, "forums/:forum/topics") { try $0.createTopic(&$1, $2) },
        UserEchoAPIRoute(.put, "forums/:forum/topics") { try $0.updateTopic(&$1, $2) },
        UserEchoAPIRoute(.get, "forums/:forum/topics/search") { try $0.searchTopics(&$1, $2) },
        UserEchoAPIRoute(.get, "forums/:forum/users/:user/topics") { api, state, call in
            let forum = try existingForum(call, in: state)
            let user = try existingUser(call, in: state)
            return try api.topicList(state, call) { $0.forumID == forum.id && $0.authorID == user.id }
        },
        UserEchoAPIRoute(.get, "categories/:category/topics") { try $0.labelTopics(.category, &$1, $2) },
        UserEchoAPIRoute(.get, "tags/:tag/topics") { try $0.labelTopics(.tag, &$1, $2) },
        UserEchoAPIRoute(.get, "topics/:topic") { api, state, call in api.presenter.topic(try existingTopic(call, in: state), in: state) },
        UserEchoAPIRoute(.delete, "topics/:topic") { try $0.deleteTopic(&$1, $2) },
        // Who voted, oldest vote first
        UserEchoAPIRoute(.get, "topics/:topic/voters") { api, state, call in
            let topic = try existingTopic(call, in: state)
            return try call.listed(state.votes.filter { $0.topicID == topic.id }.map { api.presenter.voter($0, in: state) })
        },

        // Comments; lists are oldest first, as a conversation reads
        UserEchoAPIRoute(.get, "topics/:topic/comments") { api, state, call in
            let topic = try existingTopic(call, in: state)
            return try api.commentList(state, call) { $0.topicID == topic.id }
        },
        UserEchoAPIRoute(.post, "topics/:topic/comments") { try $0.createComment(&$1, $2) },

        // Webhooks: admins only; `hooks/events` lists the eight event names
        UserEchoAPIRoute(.get, "hooks", admin: "see webhooks") { api, state, call in try call.listed(state.hooks.map { api.presenter.hook($0) }) },
        UserEchoAPIRoute(.post, "hooks", admin: "register webhooks") { try $0.createHook(&$1, $2) },
        UserEchoAPIRoute(.get, "hooks/events", admin: "see webhook events") { _, _, _ in .array(UserEchoHook.events.map { .string($0) }) },
        UserEchoAPIRoute(.delete, "hooks/:hook", admin: "delete webhooks") { api, state, call in
            let id = try call.id("hook", "Hook")
            return api.presenter.hook(state.hooks.remove(at: try call.found(state.hooks.firstIndex { $0.id == id }, "Hook")))
        },
    ]
}
