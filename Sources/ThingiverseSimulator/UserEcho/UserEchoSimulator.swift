// UserEchoSimulator: a fake UserEcho (a feedback forum at https://ALIAS.userecho.com with its API
// v2 below /api/v2) that runs fully offline, on the simulator kit (Kit/). Its differences are
// UserEcho's: one API key, `sso_token` single sign-on, forum pages with sessions, signed hooks.
// Routes, seed data, object shapes and the choices made: ../README.md.

import AsyncHTTPClient
import HTTPTypes
import Hummingbird
import Synchronization

/// A simulated UserEcho project: its forum pages and API v2, with seeded people, forums, topics
/// and comments, single sign-on and webhooks, for development and tests.
///
/// Each instance has its own state, so tests can run in parallel with one simulator each.
public final class UserEchoSimulator: ControlledSimulator {
    /// Where the simulator lives and its keys.
    public var configuration: UserEchoSimulatorConfiguration { baseConfiguration.withLock { $0 } }
    private let baseConfiguration: Mutex<UserEchoSimulatorConfiguration>
    let state: Mutex<UserEchoState>
    /// The request log and fault switches (see ``ControlledSimulator``); the edge faults apply
    /// to the API. API calls are also logged under their command with `.json`
    /// (`/forums/1/topics.json`), with the query kept and its `access_token` and `sso_token`
    /// values replaced by `<redacted>`.
    public let controls = SimulatorControls(host: "userecho.com")
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
        let presenter = UserEchoPresenter(base: configuration.base)
        let body = try state.withLock { state throws(UserEchoHookError) -> [UInt8] in
            let data: JSONValue
            if hook.hasPrefix("topic.") {
                guard let topic = state.topic(id: dataID) ?? state.deletedTopics[dataID] else { throw .unknownTopic(dataID) }
                data = presenter.topic(topic, in: state)
            } else {
                guard let comment = state.comment(id: dataID) ?? state.deletedComments[dataID] else { throw .unknownComment(dataID) }
                data = presenter.comment(comment, in: state)
            }
            return UserEchoHookSender.body(event: hook, created: UserEchoTimestamp.now(), data: data)
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
        controls.record(entry, otherNames: command.map { ["/" + $0] } ?? [])
        state.withLock { $0.lastRequest = details }
    }
}
