import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Registers ThingBridge's hook URL with UserEcho through its API (`hooks`, `hooks/events`):
/// what `thingbridge userecho hooks list|sync` does. Syncing is idempotent: an event that
/// already has a hook for the URL gets no second one.
public struct UserEchoHookRegistration: Sendable {
    /// One registered hook, as UserEcho lists it.
    public struct Hook: Decodable, Sendable, Equatable {
        public let id: Int64
        public let event: String
        public let target_url: String
    }

    /// What a sync did, by event name.
    public struct SyncResult: Sendable, Equatable {
        public var added: [String]
        public var alreadyThere: [String]
    }

    let upstream: UpstreamClient
    let apiURL: String
    let apiKey: Secret

    public init(provider: UserEchoProvider) {
        self.upstream = provider.upstream
        self.apiURL = provider.apiURL
        self.apiKey = provider.settings.apiKey
    }

    /// Every hook registered in the project.
    public func list() async throws -> [Hook] {
        try await call(.GET, "/hooks.json", as: [Hook].self)
    }

    /// Registers `targetURL` for every event UserEcho offers that lacks it.
    public func sync(targetURL: String) async throws -> SyncResult {
        let events = try await call(.GET, "/hooks/events.json", as: [String].self)
        let registered = Set(try await list().filter { $0.target_url == targetURL }.map(\.event))
        var result = SyncResult(added: [], alreadyThere: [])
        for event in events {
            if registered.contains(event) {
                result.alreadyThere.append(event)
                continue
            }
            let body = JSONValue.object(["event": .string(event), "target_url": .string(targetURL)]).serialized
            _ = try await call(.POST, "/hooks.json", body: body, as: Hook.self)
            result.added.append(event)
        }
        return result
    }

    private func call<Reply: Decodable>(_ method: HTTPMethod, _ command: String, body: String? = nil, as type: Reply.Type) async throws -> Reply {
        var request = HTTPClientRequest(url: apiURL + command)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(apiKey.value)")
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let answer = try await upstream.data(request)
        guard let envelope = try? JSONDecoder().decode(UserEchoEnvelope<Reply>.self, from: Data(answer.body.readableBytesView)) else {
            throw UpstreamError(
                .badReply("\(command) answered HTTP \(answer.status) without UserEcho's status envelope"), provider: upstream.provider)
        }
        guard envelope.status == "success", let data = envelope.data else {
            throw UpstreamError(.badReply("\(command): \(envelope.message ?? "HTTP \(answer.status)")"), provider: upstream.provider)
        }
        return data
    }
}

/// UserEcho's reply shape: `{"status": "success", "data": ...}` or `{"status": "error", "message": ...}`.
struct UserEchoEnvelope<Data: Decodable>: Decodable {
    let status: String
    let message: String?
    let data: Data?
}

extension UserEchoHookRegistration {
    /// Why the command line cannot register hooks with this configuration.
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs `body` with a registration for the configured forum on a client of its own (the
    /// same settings as the server's), shut down afterwards; also gives the hook URL to register.
    public static func run<Value: Sendable>(
        configuration: ThingBridgeConfiguration, _ body: (UserEchoHookRegistration, _ targetURL: String?) async throws -> Value
    ) async throws -> Value {
        guard let settings = configuration.userecho else {
            throw Unavailable(
                description: "USERECHO_URL and USERECHO_API_KEY are not set (the development simulator lives inside the running server)")
        }
        let targetURL = configuration.userechoWebhookSecrets.map { configuration.publicURL + "/webhooks/userecho/" + $0[0].value }
        let client = HTTPClientService.makeClient(upstreamTimeout: configuration.upstreamTimeout, connectTimeout: configuration.connectTimeout)
        do {
            let provider = UserEchoProvider(
                settings: settings, hookSecrets: configuration.userechoWebhookSecrets ?? [], httpClient: client,
                timeout: .seconds(configuration.upstreamTimeout))
            let value = try await body(UserEchoHookRegistration(provider: provider), targetURL)
            try await client.shutdown()
            return value
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}
