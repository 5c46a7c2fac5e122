import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import ThingiverseSimulator

@Suite struct FlattrThingWriteTests {
    /// Bearer and form content type.
    static func formHeaders(_ token: String) -> HTTPFields {
        [.authorization: "Bearer \(token)", .contentType: "application/x-www-form-urlencoded"]
    }

    @Test func createAnswers201WithTheNewThing() async throws {
        try await withRouter(FlattrFixture.simulator(), signedIn: "alice_flattrs") { client, token in
            let response = try await client.api(
                .post, "/things", token: token, json: #"{"url":"http://developers.flattr.net","title":"Docs","tags":["api","docs"]}"#)
            #expect(response.status == .created)
            #expect(response.headers[.contentType] == "application/json;charset=utf-8")
            #expect(response.header("X-RateLimit-Remaining") == "4999")
            let body = try response.jsonObject()
            let id = try #require(body["id"] as? Int)
            #expect(body["link"] as? String == "http://flattr.test/api/things/\(id)")
            #expect(body["message"] as? String == "ok")
            #expect(body["description"] as? String == "Thing was created successfully")

            let thing = try await client.execute(uri: "/api/things/\(id)", method: .get).jsonObject()
            #expect(thing["title"] as? String == "Docs")
            #expect(thing["tags"] as? [String] == ["api", "docs"])
            #expect((thing["owner"] as? [String: Any])?["username"] as? String == "alice_flattrs")
            #expect(thing["url"] as? String == "http://developers.flattr.net")
        }
    }

    @Test func createAcceptsAForm() async throws {
        try await withRouter(FlattrFixture.simulator(), signedIn: "bob_supports") { client, token in
            let response = try await client.execute(
                uri: "/api/things/", method: .post, headers: Self.formHeaders(token),
                body: ByteBuffer(string: "url=https%3A%2F%2Fbob.example%2Fnew&category=video&tags=a%2Cb&hidden=1"))
            #expect(response.status == .created)
            let id = try #require(try response.jsonObject()["id"] as? Int)
            let thing = try await client.execute(uri: "/api/things/\(id)", method: .get).jsonObject()
            #expect(thing["category"] as? String == "video")
            #expect(thing["tags"] as? [String] == ["a", "b"])
            #expect(thing["hidden"] as? Bool == true)
        }
    }

    @Test(arguments: [#"{"url":"not a url"}"#, #"{"url":"ftp://example.com/x"}"#, #"{"title":"no url"}"#])
    func createWithAnInvalidURLIsAValidationError(body: String) async throws {
        try await withRouter(FlattrFixture.simulator(), signedIn: "alice_flattrs") { client, token in
            let response = try await client.api(.post, "/things", token: token, json: body)
            try expectFlattrAPIError(response, .badRequest, "validation", description: "Invalid url")
        }
    }

    @Test func createOfAnExistingURLDependsOnItsOwner() async throws {
        try await withRouter(FlattrFixture.simulator(), signedIn: "alice_flattrs") { client, alice in
            let foreign = try await client.api(.post, "/things", token: alice, json: #"{"url":"https://github.com/simon/flattr"}"#)
            try expectFlattrAPIError(foreign, .badRequest, "validation", description: "Owner mismatch. Current thing owned by other account.")

            let own = try await client.api(.post, "/things", token: alice, json: #"{"url":"https://alice.example/music/sunday-piano/"}"#)
            #expect(own.status == .ok)
            #expect(try own.jsonObject()["id"] as? Int == 447_981)
        }
    }

    @Test func writesNeedATokenWithTheThingScope() async throws {
        try await withRouter(FlattrFixture.simulator()) { client in
            let anonymous = try await client.execute(
                uri: "/api/things", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"url":"https://x.example/"}"#))
            try expectFlattrAPIError(anonymous, .unauthorized, "unauthorized")

            let flattrOnly = try await FlattrSteps.token(client, scope: "flattr")
            let create = try await client.api(.post, "/things", token: flattrOnly, json: #"{"url":"https://x.example/"}"#)
            try expectFlattrAPIError(create, .forbidden, "forbidden")
            let delete = try await client.api(.delete, "/things/441203", token: flattrOnly)
            #expect(delete.status == .forbidden)
            // Reads still work with that token.
            #expect(try await client.api(.get, "/user", token: flattrOnly).status == .ok)
        }
    }

    @Test func patchUpdatesOnlyTheFieldsSent() async throws {
        let simulator = FlattrFixture.simulator()
        try await withRouter(simulator, signedIn: "alice_flattrs") { client, token in
            let response = try await client.api(.patch, "/things/441203", token: token, json: #"{"title":"API v2 documentation"}"#)
            #expect(response.status == .ok)
            let body = try response.jsonObject()
            #expect(body["message"] as? String == "ok")
            #expect(body["description"] as? String == "Thing was updated correctly")
            let thing = try await client.execute(uri: "/api/things/441203", method: .get).jsonObject()
            #expect(thing["title"] as? String == "API v2 documentation")
            #expect(thing["description"] as? String == "Five free patterns: mittens, a hat & a scarf.")
            #expect(thing["tags"] as? [String] == ["knitting", "crafts", "patterns"])
            #expect((thing["updated_at"] as? Int ?? 0) > 0)
        }
        #expect(simulator.requestLog().contains("PATCH /api/things/441203"))
    }

    @Test(arguments: [
        ("/api/things/441203", "_method=patch&description=Updated"),
        ("/api/things/441203?_method=patch", "description=Updated"),
        ("/api/things/441203/?_method=PATCH", "description=Updated"),
    ])
    func postWithMethodPatchInAFormOrTheQueryUpdates(uri: String, form: String) async throws {
        let simulator = FlattrFixture.simulator()
        try await withRouter(simulator, signedIn: "alice_flattrs") { client, token in
            let response = try await client.execute(
                uri: uri, method: .post, headers: Self.formHeaders(token), body: ByteBuffer(string: form))
            #expect(response.status == .ok)
            #expect(try response.jsonObject()["description"] as? String == "Thing was updated correctly")
            let thing = try await client.execute(uri: "/api/things/441203", method: .get).jsonObject()
            #expect(thing["description"] as? String == "Updated")
            #expect(thing["title"] as? String == "Knitting patterns for winter")
        }
        let log = simulator.requestLog()
        #expect(log.contains { $0.hasPrefix("POST /api/things/441203") })
        #expect(!log.contains { $0.hasPrefix("PATCH") })
    }

    @Test func postWithMethodPatchInAJSONBodyUpdates() async throws {
        try await withRouter(FlattrFixture.simulator(), signedIn: "alice_flattrs") { client, token in
            let response = try await client.api(
                .post, "/things/441203", token: token, json: #"{"_method":"patch","hidden":true,"category":"people"}"#)
            #expect(response.status == .ok)
            let thing = try await client.execute(uri: "/api/things/441203", method: .get).jsonObject()
            #expect(thing["hidden"] as? Bool == true)
            #expect(thing["category"] as? String == "people")
        }
    }

    @Test func postWithoutMethodPatchIs405() async throws {
        try await withRouter(FlattrFixture.simulator(), signedIn: "alice_flattrs") { client, token in
            let response = try await client.api(.post, "/things/441203", token: token, json: #"{"title":"x"}"#)
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers[.allow] == "GET, PATCH, DELETE")
            let error = try response.jsonObject()
            #expect(error["error"] as? String == "method_not_allowed")
            #expect((error["error_description"] as? String)?.contains("_method=patch") == true)
            let thing = try await client.execute(uri: "/api/things/441203", method: .get).jsonObject()
            #expect(thing["title"] as? String == "Knitting patterns for winter")
        }
    }

    @Test func updateValidatesItsFields() async throws {
        try await withRouter(FlattrFixture.simulator(), signedIn: "alice_flattrs") { client, token in
            for body in [#"{"category":"cats"}"#, #"{"hidden":"perhaps"}"#, #"{"url":"https://elsewhere.example/"}"#, "[1]"] {
                let response = try await client.api(.patch, "/things/441203", token: token, json: body)
                #expect(response.status == .badRequest, "body \(body)")
                #expect(try response.jsonObject()["error"] as? String == "validation")
            }
        }
    }

    @Test func onlyTheOwnerMayUpdateOrDelete() async throws {
        try await withRouter(FlattrFixture.simulator(), signedIn: "bob_supports") { client, bob in
            let patch = try await client.api(.patch, "/things/441203", token: bob, json: #"{"title":"mine now"}"#)
            try expectFlattrAPIError(patch, .forbidden, "forbidden")
            let delete = try await client.api(.delete, "/things/441203", token: bob)
            #expect(delete.status == .forbidden)
            #expect(try await client.execute(uri: "/api/things/441203", method: .get).status == .ok)
            let missing = try await client.api(.patch, "/things/1", token: bob, json: "{}")
            #expect(missing.status == .notFound)
        }
    }

    @Test func deleteRemovesTheThingWith204() async throws {
        try await withRouter(FlattrFixture.simulator(), signedIn: "alice_flattrs") { client, alice in
            let response = try await client.api(.delete, "/things/441203", token: alice)
            #expect(response.status == .noContent)
            #expect(response.body.readableBytes == 0)
            #expect(response.header("X-RateLimit-Limit") == "5000")
            #expect(try await client.execute(uri: "/api/things/441203", method: .get).status == .notFound)
            let again = try await client.api(.delete, "/things/441203", token: alice)
            #expect(again.status == .notFound)
        }
    }
}
