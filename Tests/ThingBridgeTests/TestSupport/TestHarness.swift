import HummingbirdTesting

@testable import ThingBridge

/// Live simulators on their own ports that ThingBridge can be configured against: the
/// Thingiverse and Flattr ones (``SignInHarness``), with a configured provider beside them
/// (``ConfiguredProviderHarness``).
protocol TestHarness: Sendable {
    /// Runs `body` with the simulators started; everything is shut down afterwards.
    static func run<Value: Sendable>(_ body: @Sendable (Self) async throws -> Value) async throws -> Value

    /// ThingBridge's configuration pointing at the simulators, with `overrides` of its settings.
    func configuration(_ overrides: [String: String]) async throws -> ThingBridgeConfiguration
}

extension TestHarness {
    /// Runs `test` with a fresh harness against ThingBridge configured for it (with `overrides`),
    /// through ``TestServer``: what most sign-in and proxy tests start with.
    static func withServer<Value: Sendable>(
        _ overrides: [String: String] = [:],
        _ test: @Sendable (Self, any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        try await run { harness in
            try await TestServer.run(try await harness.configuration(overrides)) { _, client in
                try await test(harness, client)
            }
        }
    }
}
