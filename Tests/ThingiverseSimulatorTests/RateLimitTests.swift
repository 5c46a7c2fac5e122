import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import ThingiverseSimulator

@Suite struct RateLimitTests {
    @Test func requestsOverTheLimitGet429WithRetryAfter() async throws {
        let simulator = Fixture.simulator {
            $0.rateLimit = 3
            $0.rateWindow = .seconds(60)
        }
        let token = simulator.token(for: "alice_prints")
        let other = simulator.token(for: "bob_builds")
        let start = Int(Date().timeIntervalSince1970)
        try await withRouter(simulator) { client in
            for expected in ["2", "1", "0"] {
                let response = try await client.getOK("/api/users/me", headers: bearer(token))
                #expect(response.header("X-RateLimit-Limit") == "3")
                #expect(response.header("X-RateLimit-Remaining") == expected)
                let reset = try #require(Int(response.header("X-RateLimit-Reset") ?? ""))
                #expect(reset >= start + 59 && reset <= start + 62)
            }
            let refused = try await client.api(.get, "/users/me", token: token)
            #expect(refused.status == .tooManyRequests)
            #expect(try refused.jsonObject()["error"] as? String == "rate_limited")
            let retryAfter = try #require(Int(refused.header("Retry-After") ?? ""))
            #expect((1...60).contains(retryAfter))
            #expect(refused.header("X-RateLimit-Remaining") == "0")
            // Budgets are per token.
            #expect(try await client.api(.get, "/users/me", token: other).status == .ok)
        }
    }

    @Test func aNewWindowRestoresTheBudget() async throws {
        let simulator = Fixture.simulator {
            $0.rateLimit = 1
            // Long enough that two requests fall in one window on a busy machine.
            $0.rateWindow = .seconds(2)
        }
        try await withRouter(simulator, signedIn: "alice_prints") { client, token in
            #expect(try await client.api(.get, "/users/me", token: token).status == .ok)
            #expect(
                try await client.api(.get, "/users/me", token: token).status
                    == .tooManyRequests)
            try await Task.sleep(for: .milliseconds(2_200))
            #expect(try await client.api(.get, "/users/me", token: token).status == .ok)
        }
    }
}
