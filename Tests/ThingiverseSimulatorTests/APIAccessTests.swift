import HTTPTypes
import HummingbirdTesting
import Testing
import ThingiverseSimulator

@Suite struct APIAccessTests {
    @Test func usersMeIsTheTokenOwnerWithEmail() async throws {
        try await withRouter(Fixture.simulator()) { client in
            let token = try await OAuthSteps.token(client, user: "thingiverse")
            let response = try await client.getOK("/api/users/me", headers: bearer(token))
            let user = try response.jsonObject()
            #expect(user["id"] as? Int == 50577)
            #expect(user["name"] as? String == "thingiverse")
            #expect(user["url"] as? String == "http://sim.test/api/users/thingiverse")
            #expect(user["things"] as? String == "http://sim.test/api/users/thingiverse/things")
            #expect(user["location"] as? String == "Brooklyn, NY")
            #expect(user["registered"] as? String == "2013-02-22T21:32:27+00:00")
            #expect(user["default_license"] as? String == "cc")
            #expect(user["email"] as? String != nil)
            let thumbnail = try #require(user["thumbnail"] as? String)
            #expect(thumbnail.hasPrefix("http://sim.test/api/_media/") && thumbnail.hasSuffix(".png"))
        }
    }

    @Test func anotherUsersProfileHasNoEmail() async throws {
        try await withRouter(Fixture.simulator(), signedIn: "alice_prints") { client, token in
            let response = try await client.api(.get, "/users/bob_builds", token: token)
            let user = try response.jsonObject()
            #expect(user["full_name"] as? String == "Bob Builder")
            #expect(user["email"] == nil)
            let missing = try await client.api(.get, "/users/nobody", token: token)
            #expect(missing.status == .notFound)
        }
    }

    @Test func accessTokenQueryParameterAuthenticates() async throws {
        try await withRouter(Fixture.simulator(), signedIn: "bob_builds") { client, token in
            let response = try await client.getOK("/api/users/me?access_token=\(token)")
            #expect(try response.jsonObject()["name"] as? String == "bob_builds")
        }
    }

    @Test func missingTokenGets401JSON() async throws {
        try await withRouter(Fixture.simulator()) { client in
            let response = try await client.execute(uri: "/api/users/me", method: .get)
            #expect(response.status == .unauthorized)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(try response.jsonObject()["error"] as? String == "missing_token")
            #expect(try response.jsonObject()["message"] is String)
        }
    }

    @Test func unknownTokenGets401JSON() async throws {
        try await withRouter(Fixture.simulator()) { client in
            let response = try await client.execute(
                uri: "/api/users/me", method: .get, headers: bearer("0000000000000000000000000000000000000000"))
            #expect(response.status == .unauthorized)
            #expect(try response.jsonObject()["error"] as? String == "invalid_token")
        }
    }

    @Test func unknownPathGets404JSON() async throws {
        try await withRouter(Fixture.simulator(), signedIn: "alice_prints") { client, token in
            for path in ["/api/nothing/here", "/api", "/api/things/4100017/nonsense"] {
                let response = try await client.execute(uri: path, method: .get, headers: bearer(token))
                #expect(response.status == .notFound, "\(path)")
                #expect(try response.jsonObject()["error"] as? String == "not_found")
            }
        }
    }

    @Test func trailingSlashIsOptional() async throws {
        try await withRouter(Fixture.simulator(), signedIn: "alice_prints") { client, token in
            let plain = try await client.api(.get, "/things/4100017", token: token)
            let slashed = try await client.api(.get, "/things/4100017/", token: token)
            #expect(plain.status == .ok)
            #expect(slashed.status == .ok)
            #expect(try slashed.jsonObject()["name"] as? String == "Calibration Cube 20mm")
        }
    }

    @Test func wrongMethodOnAKnownPathGets405() async throws {
        try await withRouter(Fixture.simulator(), signedIn: "alice_prints") { client, token in
            let response = try await client.api(.delete, "/newest", token: token)
            #expect(response.status == .methodNotAllowed)
        }
    }
}
