import HTTPTypes
import HummingbirdTesting
import Testing
import ThingiverseSimulator

/// The code flow of each simulated provider that has one, for the behaviours they share: the
/// Thingiverse simulator answers its token endpoint form-encoded, the Flattr one in JSON.
enum CodeFlowProvider: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case thingiverse
    case flattr

    var testDescription: String { rawValue }

    /// The content type of the token endpoint's answers.
    var replyContentType: String {
        switch self {
        case .thingiverse: "application/x-www-form-urlencoded"
        case .flattr: "application/json;charset=utf-8"
        }
    }

    /// Runs `test` against a fresh simulator of this provider whose codes live `codeLifetime`
    /// (the simulator's default when not given).
    func run(codeLifetime: Duration? = nil, _ test: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        switch self {
        case .thingiverse:
            try await withRouter(Fixture.simulator { if let codeLifetime { $0.codeLifetime = codeLifetime } }, test)
        case .flattr:
            try await withRouter(FlattrFixture.simulator { if let codeLifetime { $0.codeLifetime = codeLifetime } }, test)
        }
    }

    /// Presses Allow as the fixture's user for the fixture's app; returns the code.
    func code(_ client: some TestClientProtocol) async throws -> String {
        switch self {
        case .thingiverse: try await OAuthSteps.code(client)
        case .flattr: try await FlattrSteps.code(client)
        }
    }

    /// Exchanges `code` as the fixture's app (sending `redirectURI` when given, else as the provider's steps do).
    func exchange(_ client: some TestClientProtocol, code: String, redirectURI: String? = nil) async throws -> TestResponse {
        switch self {
        case .thingiverse: try await OAuthSteps.exchange(client, code: code, redirectURI: redirectURI)
        case .flattr: try await FlattrSteps.exchange(client, code: code, redirectURI: redirectURI.map { .some($0) } ?? .none)
        }
    }

    /// The `error` and `error_description` of a refused exchange.
    func refusal(_ response: TestResponse) throws -> (error: String?, description: String?) {
        switch self {
        case .thingiverse:
            let fields = formFields(response.text)
            return (fields["error"], fields["error_description"])
        case .flattr:
            let body = try response.jsonObject()
            return (body["error"] as? String, body["error_description"] as? String)
        }
    }
}

@Suite struct CodeFlowTests {
    @Test(arguments: CodeFlowProvider.allCases)
    func expiredCodeIsRejected(provider: CodeFlowProvider) async throws {
        try await provider.run(codeLifetime: .milliseconds(50)) { client in
            let code = try await provider.code(client)
            try await Task.sleep(for: .milliseconds(120))
            let response = try await provider.exchange(client, code: code)
            #expect(response.status == .badRequest)
            let refusal = try provider.refusal(response)
            #expect(refusal.error == "invalid_grant")
            #expect(refusal.description?.contains("expired") == true)
        }
    }

    @Test(arguments: CodeFlowProvider.allCases)
    func codeCanBeUsedOnlyOnce(provider: CodeFlowProvider) async throws {
        try await provider.run { client in
            let code = try await provider.code(client)
            #expect(try await provider.exchange(client, code: code).status == .ok)
            let replay = try await provider.exchange(client, code: code)
            #expect(replay.status == .badRequest)
            #expect(replay.headers[.contentType] == provider.replyContentType)
            #expect(try provider.refusal(replay).error == "invalid_grant")
        }
    }

    @Test(arguments: CodeFlowProvider.allCases)
    func redirectURIDifferentFromTheAuthorizeOneIsRejected(provider: CodeFlowProvider) async throws {
        try await provider.run { client in
            let code = try await provider.code(client)
            let response = try await provider.exchange(client, code: code, redirectURI: "https://app.example/other")
            #expect(response.status == .badRequest)
            #expect(try provider.refusal(response).error == "invalid_grant")
        }
    }
}
