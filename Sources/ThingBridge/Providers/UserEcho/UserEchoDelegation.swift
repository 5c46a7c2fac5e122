import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import Synchronization

/// How `/api/userecho/` acts for the signed-in person: the project's API key as
/// `Authorization: Bearer` (never in a URL) and an `sso_token` naming the person, in the query
/// for `GET`/`DELETE` and as a body parameter for `POST`/`PUT`, as UserEcho asks.
struct UserEchoDelegation: DelegatedCredentials {
    let apiKey: Secret
    let sso: UserEchoSSOToken?
    let identities: UserEchoIdentities

    var identityParameters: Set<String> { ["sso_token", "user_sso_guid", "user_id", "access_token"] }

    func authorize(_ request: inout DelegatedRequest, for session: Session, endpoint: String) async throws {
        guard let sso else { throw UserEchoError.singleSignOnOff }
        let token = try sso.token(for: session).token
        if endpoint.contains("{self}") {
            let own = try await identities.userID(for: session, token: token)
            guard Self.selfSegments(path: request.path, endpoint: endpoint).allSatisfy({ $0 == String(own) }) else {
                throw UserEchoError.otherPerson
            }
        }
        request.headers.add(name: "Authorization", value: "Bearer \(apiKey.value)")
        switch request.method {
        case .POST, .PUT:
            // Without its sso_token the write would act as the API key's owner: never sent so.
            guard let body = BodyParameters.adding("sso_token", token, to: request.body, contentType: request.contentType, headers: &request.headers)
            else { throw AppError(.unsupportedMediaType, "unsupported_body", "Send the body as JSON (an object) or as a form.") }
            request.body = body
        default:
            request.query.append("sso_token=" + FormEncoding.escape(token))
        }
    }

    /// The path's values at the template's `{self}` positions.
    static func selfSegments(path: String, endpoint: String) -> [String] {
        let template = endpoint.split(separator: " ", maxSplits: 1).last?.split(separator: "/") ?? []
        let segments = path.replacingOccurrences(of: ".json", with: "").split(separator: "/")
        return zip(template, segments).filter { $0.0 == "{self}" }.map { String($0.1) }
    }
}

/// Each person's UserEcho user id, learned once from `users/current` with their `sso_token`
/// (which also creates the forum user on first use). Bounded; kept per instance.
final class UserEchoIdentities: Sendable {
    let upstream: UpstreamClient
    let apiURL: String
    let apiKey: Secret
    private let known = Mutex<[String: Int64]>([:])
    private let capacity = 10_000

    init(upstream: UpstreamClient, apiURL: String, apiKey: Secret) {
        self.upstream = upstream
        self.apiURL = apiURL
        self.apiKey = apiKey
    }

    /// The person's id if the forum has them: remembered, or looked up by guid
    /// (`users/sso/{guid}`, which, unlike `users/current`, never creates the user). Nil when
    /// the forum does not know them.
    func existingUserID(for session: Session) async throws -> Int64? {
        let guid = UserEchoSSOToken.guid(for: session)
        if let id = known.withLock({ $0[guid] }) { return id }
        return try await fetch("/users/sso/\(FormEncoding.escape(guid)).json", guid: guid, missingIsNil: true)
    }

    /// The person's id, creating the forum user on first use (`users/current` with their token).
    func userID(for session: Session, token: String) async throws -> Int64 {
        let guid = UserEchoSSOToken.guid(for: session)
        if let id = known.withLock({ $0[guid] }) { return id }
        return try await fetch("/users/current.json?sso_token=" + FormEncoding.escape(token), guid: guid, missingIsNil: false)!
    }

    private func fetch(_ command: String, guid: String, missingIsNil: Bool) async throws -> Int64? {
        var request = HTTPClientRequest(url: apiURL + command)
        request.headers.add(name: "Authorization", value: "Bearer \(apiKey.value)")
        request.headers.add(name: "Accept", value: "application/json")
        let answer = try await upstream.data(request)
        if missingIsNil && answer.status == 404 { return nil }
        struct Reply: Decodable {
            struct User: Decodable { let id: Int64 }
            let status: String
            let data: User?
        }
        guard (200..<300).contains(answer.status),
            let reply = try? JSONDecoder().decode(Reply.self, from: Data(answer.body.readableBytesView)), reply.status == "success",
            let id = reply.data?.id
        else {
            throw UpstreamError(.badReply("UserEcho did not describe the person"), provider: upstream.provider)
        }
        known.withLock { known in
            if known.count >= capacity { known.removeAll(keepingCapacity: true) }
            known[guid] = id
        }
        return id
    }
}

/// Why `/api/userecho/` or single sign-on refused a request before UserEcho saw it.
enum UserEchoError: Error, AppErrorConvertible {
    /// Acting for people needs their sso_token, which needs `USERECHO_SSO_KEY`.
    case singleSignOnOff
    /// A `users/{id}` path with someone else's id.
    case otherPerson

    var appError: AppError {
        switch self {
        case .singleSignOnOff:
            AppError(
                .serviceUnavailable, "userecho_sso_off",
                "UserEcho single sign-on is not configured (USERECHO_SSO_KEY), so ThingBridge cannot act for you on the forum.")
        case .otherPerson:
            AppError(.forbidden, "not_your_user", "Only your own UserEcho profile, topics and comments can be read here.")
        }
    }
}
