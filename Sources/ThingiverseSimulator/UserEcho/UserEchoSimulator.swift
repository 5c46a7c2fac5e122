// UserEchoSimulator: a fake UserEcho (a feedback forum at https://ALIAS.userecho.com with its API
// v2 below /api/v2) that runs fully offline, beside the Thingiverse and Flattr simulators in the
// same module. It knows nothing about ThingBridge.
//
// Routes (P = the `prefix` given to `routes(context:prefix:)`, the stand-in for the forum's origin):
//   GET P/                          forum list          } HTML; "Signed in as <… id="signed-in-as">NAME</…>"
//   GET P/forums/{id}[-slug]        a forum's topics    } or "Not signed in"; `?sso_token=` signs in
//   GET P/topics/{id}[-slug]        a topic + comments  } (cookie `ue_session`, 302 to the URL without it)
//   GET P/avatars/{user id}.png     generated avatar; GET P/files/{id}/{name}  an uploaded file
//   P/api/v2/<command>.json         the API (".json" may be left out):
//     GET users, users/current, users/{id}, users/sso/{guid}, users/{id}/topics, users/{id}/comments
//     GET|POST users/{id}/logout, POST users/get_or_create, GET|POST|PUT|DELETE users/groups
//     GET|POST|DELETE forums; GET forums/{id}/types; GET|POST|PUT|DELETE forums/{id}/categories and
//     forums/{id}/tags; GET|POST|DELETE forums/{id}/access_list; POST forums/{id}/upload/file|image
//     GET|POST|PUT forums/{id}/topics, GET forums/{id}/topics/search?query=, forums/{id}/users/{uid}/topics,
//     categories/{id}/topics, tags/{id}/topics; GET|DELETE topics/{id}; GET topics/{id}/voters
//     GET|POST topics/{id}/comments; GET|POST hooks, DELETE hooks/{id}, GET hooks/events
//   Replies: {"status":"success","data":...} or {"status":"error","message":...}, application/json;
//   400 bad input, 401 missing/wrong key or "Invalid sso_token", 403 not allowed, 404 unknown
//   command or object, 405 (with Allow) wrong method, 429 (with Retry-After) over the rate limit.
//
// Seed: users 1 "API" (admin: the key's own user), 2 Emma Moderator (admin, group Staff),
// 3 Liam Maker, 4 Alice Prints (guid "thingiverse:244", ThingBridge's guid for the Thingiverse
// simulator's alice_prints), 5 Noah Tinkerer (group Beta testers); groups 1 Staff, 2 Beta testers.
// Forum 1 "Ideas & feedback" (types 1 Idea, 2 Question, 3 Praise; categories 1 Slicer, 2 Thing
// pages, 3 Mobile app; tags 1 ui, 2 performance, 3 accessibility) with topics 1-5; forum 2 "Bug
// reports" (types 4 Problem, 5 Question; categories 4 Website, 5 Uploads; tags 4 crash,
// 5 regression) with topics 6-8; 13 votes; 10 comments (ids 1-10) on topics 1, 2, 3, 5, 6, 7.
// Dates are ISO 8601 with milliseconds and Z ("2014-04-25T04:17:38.306Z"), all in 2014.
//
// Object shapes (UserEcho documents none; field names follow what it is known to use):
//   user    {id, name, email, avatar_url, sso_guid, locale, is_admin, groups [names], created}
//   forum   {id, name, description, is_private, topics_count, url, created}
//   type / category / tag   {id, forum_id, name}
//   topic   {id, forum_id, header, description, status (1 New, 2 Under review, 3 Planned, 4 Started,
//            5 Completed, 6 Declined), status_name, type {id,name}|null, category {id,name}|null,
//            tags [{id,name}], vote_diff, comment_count, author {id,name,avatar_url}, created, updated,
//            url (P/topics/{id}-{slug} on baseURL)}
//   comment {id, topic_id, forum_id, text, author, created, updated, url (topic url#comment-{id})}
//   voter   {id, name, avatar_url, vote (+1/-1), created};  hook {id, event, target_url, created}
//   group   {id, name, users_count};  file {id, forum_id, name, url, size, content_type, is_image, created}
//   hooks/events answers the eight event names as strings; DELETE answers {"id": N} (hooks: the hook).
//
// Choices the brief left open:
// - The key is read from `access_token` in the query, else `Authorization: Bearer`; there is one
//   key, with "all" rights. Requests with a wrong key are not counted against the rate limit
//   (`rateLimit` per key per minute, fixed windows).
// - Parameters are read from the query and the body (a form or a JSON object; the body wins), for
//   every method, so `sso_token`, `user_sso_guid` and `user_id` work in the query or the body.
//   Who acts: a valid `sso_token` (a new guid makes a user; a known guid updates name, email,
//   avatar, locale and groups; expired, undecryptable, empty or garbled: 401 "Invalid sso_token"),
//   else `user_sso_guid`, else `user_id` (0 = Anonymous); unknown ones act as the API user.
// - Rights: the API user and admins may do everything. Everyone else may read (not hooks, groups
//   or access lists), create topics and comments, change and delete their own topics, and list
//   their own `users/{id}/topics|comments`; setting a topic's `status` needs an admin.
// - Topic writes: `header` (required), `description`, `type`/`type_id`, `category`/`category_id`,
//   `tags` (ids or names, JSON array or comma-separated), `status`; PUT names the topic with `id`.
//   Comments: `text`. Deleting a forum, category, tag, group, topic: `id` (query or body).
// - Lists: topics newest first, comments and voters oldest first, the rest by id; `filter__...`
//   parameters as the reference describes (compared on the JSON objects above; an object member
//   such as `author` by its id), then `page` (from 1) and `limit` (default 50, at most 1000).
// - Hooks: creating a topic or comment through the API, and deleting a topic, sends
//   `topic.created` / `comment.created` / `topic.deleted` to every hook registered for it, in the
//   background, once (no retries), with an HTTP client the simulator makes on first use (no
//   redirects, 10 s timeout). Call `shutdown()` before dropping a simulator that may have sent
//   hooks: it waits for those in flight and shuts the client down (a simulator dropped without
//   it still shuts the client down, without waiting). Outcomes are logged, not retried.
// - `sendHook` signs with `webhookKey` as `X-UE-Signature: hex(HMAC-SHA1(key, raw body))` and
//   sends the data object as the API shows it now (deleted topics and comments are remembered).
// - `requestLog()` lists "METHOD /full/path?query" with `access_token` and `sso_token` values
//   replaced by "<redacted>"; `lastRequest()` keeps the values as they arrived. `requestCount`
//   matches the full path, the path below the prefix, or for API calls the command with `.json`
//   ("/forums/1/topics.json"); the query and a trailing slash are ignored.
// - Forum pages show a refused `sso_token` as a notice (200, not signed in) rather than failing.
//   `users/{id}/logout` (admins only) ends that user's page sessions and is noted in
//   `loggedOutUserIDs` even when they had none.

import AsyncHTTPClient
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// A simulated UserEcho project: its forum pages and API v2, with seeded people, forums, topics
/// and comments, single sign-on and webhooks, for development and tests.
///
/// Each instance has its own state, so tests can run in parallel with one simulator each.
public final class UserEchoSimulator: Sendable {
    /// Where the simulator lives and its keys.
    public var configuration: UserEchoSimulatorConfiguration { baseConfiguration.withLock { $0 } }
    private let baseConfiguration: Mutex<UserEchoSimulatorConfiguration>
    let state: Mutex<UserEchoState>
    /// Sends the hooks API writes cause, once each, signed with the webhook key.
    let deliveries: BackgroundDeliveries

    /// Creates a simulator with the seeded content.
    public init(configuration: UserEchoSimulatorConfiguration) {
        self.baseConfiguration = Mutex(configuration)
        self.state = Mutex(UserEchoState())
        let webhookKey = configuration.webhookKey
        self.deliveries = BackgroundDeliveries(
            label: "ThingiverseSimulator.UserEcho.hooks", noun: "Hook", keepsOutcomes: false,
            timeouts: .init(connect: .seconds(5), read: UserEchoHookSender.timeout)
        ) { hook, client in
            try await UserEchoHookSender.send(hook.body, to: hook.url, webhookKey: webhookKey, using: client)
        }
    }

    /// Sets where the forum is reached, for a simulator started on port 0 whose address is only
    /// known once it listens. Topic and forum URLs and avatars use it.
    public func setBaseURL(_ url: String) {
        baseConfiguration.withLock { $0.baseURL = url.droppingTrailingSlashes }
    }

    /// All routes: the forum pages at `prefix/...` and the API at `prefix/api/v2/...`. Mount them
    /// in any Hummingbird router, e.g. with `prefix: "/sim/userecho"`.
    /// - Parameters:
    ///   - context: the router's request context type
    ///   - prefix: path of the forum's origin, "" for the root
    public func routes<Context: RequestContext>(context: Context.Type, prefix: String) -> RouteCollection<Context> {
        let prefix = prefix.mountPrefix
        let routes = RouteCollection(context: Context.self)
        UserEchoAPIController(simulator: self, prefix: prefix).addRoutes(to: routes)
        UserEchoWebController(simulator: self, prefix: prefix).addRoutes(to: routes)
        return routes
    }

    /// How many requests reached `path`: the full path, the path below the prefix, or for API
    /// calls the command with `.json` (`forums/1/topics.json`). Query strings and a trailing
    /// slash are ignored.
    public func requestCount(path: String) -> Int {
        state.withLock { $0.log.count(path: path) }
    }

    /// Every request seen, as `"METHOD /full/path?query"` with the values of `access_token` and
    /// `sso_token` replaced by `<redacted>`, in arrival order. A long-running simulator keeps
    /// only the most recent 10,000 or more.
    public func requestLog() -> [String] {
        state.withLock { $0.log.lines }
    }

    /// What the most recent request carried (values not redacted), or `nil` before the first.
    public func lastRequest() -> UserEchoRequestRecord? {
        state.withLock { $0.lastRequest }
    }

    /// Everyone in the project, by id: the API user, the seeded people and those added since.
    public var users: [UserEchoUser] {
        state.withLock { $0.users }
    }

    /// The registered webhooks, in registration order.
    public var hooks: [UserEchoHook] {
        state.withLock { $0.hooks }
    }

    /// The users whose forum sessions `users/{id}/logout` cleared, once per call, in call order.
    public var loggedOutUserIDs: [Int] {
        state.withLock { $0.loggedOutUserIDs }
    }

    /// Decrypts and reads an `sso_token` as the API would (expired tokens are refused), e.g. to
    /// check what a client sent in `lastRequest()`.
    /// - Throws: `UserEchoSSOError`
    public func decodeSSOToken(_ token: String) throws -> UserEchoSSOProfile {
        try decodeProfile(token).get()
    }

    /// Sends `hook` (e.g. `"topic.created"`) for the topic (`topic.*`) or comment (`comment.*`)
    /// `dataID` to `url` the way UserEcho does: `POST` JSON `{"hook","created","data"}` with
    /// `X-UE-Signature` when `webhookKey` is set. One attempt.
    /// - Parameters:
    ///   - client: the client to send with; the caller owns it (and decides about redirects)
    /// - Returns: the HTTP status the receiver answered
    /// - Throws: `UserEchoHookError` for an unknown event or object; the client's error when the
    ///   receiver cannot be reached or does not answer within 10 s
    public func sendHook(_ hook: String, dataID: Int, to url: String, using client: HTTPClient) async throws -> Int {
        guard UserEchoHook.events.contains(hook) else { throw UserEchoHookError.unknownEvent(hook) }
        let presenter = UserEchoPresenter(configuration: configuration)
        let body = try state.withLock { state throws(UserEchoHookError) -> [UInt8] in
            let data: JSONValue
            if hook.hasPrefix("topic.") {
                guard let topic = state.topic(id: dataID) ?? state.deletedTopics[dataID] else {
                    throw .unknownTopic(dataID)
                }
                data = presenter.topic(topic, in: state)
            } else {
                guard let comment = state.comment(id: dataID) ?? state.deletedComments[dataID] else {
                    throw .unknownComment(dataID)
                }
                data = presenter.comment(comment, in: state)
            }
            return UserEchoHookDelivery.body(event: hook, created: UserEchoTimestamp.now(), data: data)
        }
        return try await UserEchoHookSender.send(body, to: url, webhookKey: configuration.webhookKey, using: client)
    }

    /// Registers a webhook as `POST hooks.json` would, without a request: how an app that runs the
    /// simulator in its own process subscribes before it listens. Returns the hook.
    @discardableResult
    public func registerHook(event: String, targetURL: String) throws -> UserEchoHook {
        guard UserEchoHook.events.contains(event) else { throw UserEchoHookError.unknownEvent(event) }
        return state.withLock { state in
            let hook = UserEchoHook(id: state.newID(.hook), event: event, targetURL: targetURL, created: UserEchoTimestamp.now())
            state.hooks.append(hook)
            return hook
        }
    }

    /// Waits for the hooks the API is sending in the background, then shuts down the HTTP client
    /// they use. Call it once, before dropping a simulator that may have sent hooks; hooks due
    /// after it are dropped.
    public func shutdown() async throws {
        try await deliveries.shutdown()
    }

    // MARK: Shared by the controllers

    /// Decrypts an `sso_token` with the configured key.
    func decodeProfile(_ token: String) -> Result<UserEchoSSOProfile, UserEchoSSOError> {
        let key = configuration.ssoKey
        return Result { () throws(UserEchoSSOError) in
            try UserEchoSSOToken.decode(token, ssoKey: key, now: Timestamp.now())
        }
    }

    /// Notes a request in the log, the counts and `lastRequest()`.
    /// - Parameters:
    ///   - input: the request's body and query, when it was read
    ///   - command: for API calls, the command with `.json` (`forums/1/topics.json`)
    func record(_ request: Request, input: RequestInput?, prefix: String, command: String?) {
        let query = request.uri.query
        let entry = LoggedRequest(request, prefix: prefix, redactedQuery: query.map(UserEchoState.redact))
        let details = UserEchoRequestRecord(
            method: request.method.rawValue, path: entry.path, query: query.map { FormEncoding.dictionary($0) } ?? [:],
            body: input.flatMap(UserEchoFields.bodyMembers).map(UserEchoFields.texts) ?? [:],
            contentType: request.headers[.contentType], hasAuthorizationHeader: request.headers[.authorization] != nil)
        state.withLock {
            $0.log.record(entry, otherNames: command.map { ["/" + $0] } ?? [])
            $0.lastRequest = details
        }
    }
}
