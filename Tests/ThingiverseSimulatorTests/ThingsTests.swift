import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import ThingiverseSimulator

@Suite struct ThingsTests {
    let simulator = Fixture.simulator()

    @Test func thingHasTheDocumentedFields() async throws {
        try await withRouter(simulator, signedIn: "bob_builds") { client, token in
            let response = try await client.getOK("/api/things/\(seededThingID(21))", headers: bearer(token))
            let thing = try response.jsonObject()
            #expect(thing["id"] as? Int == seededThingID(21))
            #expect(thing["name"] as? String == "Succulent Planter")
            #expect(thing["url"] as? String == "http://sim.test/api/things/\(seededThingID(21))")
            #expect((thing["creator"] as? [String: Any])?["name"] as? String == "alice_prints")
            #expect(thing["images_url"] as? String == "http://sim.test/api/things/\(seededThingID(21))/images")
            #expect(thing["is_published"] as? Bool == true)
            #expect((thing["tags"] as? [[String: Any]])?.count == 2)
            let images = try await client.api(.get, "/things/\(seededThingID(21))/images", token: token).jsonArray()
            #expect(images.count == 2)
            let files = try await client.api(.get, "/things/\(seededThingID(21))/files", token: token).jsonArray()
            #expect(files.first?["name"] as? String == "succulent_planter.stl")
            #expect(
                try await client.api(.get, "/things/999", token: token).status == .notFound)
        }
    }

    @Test func ownerCanPatchButOthersGet403() async throws {
        let alice = simulator.token(for: "alice_prints")
        try await withRouter(simulator, signedIn: "bob_builds") { client, bob in
            let uri = "/api/things/\(seededThingID(22))"
            let body = ByteBuffer(string: #"{"name":"Hexagon Shelf v2","tags":["Wall Art","shelf"],"is_wip":true}"#)
            let json: HTTPFields = [.contentType: "application/json"]
            let denied = try await client.execute(uri: uri, method: .patch, headers: bearer(bob) + json, body: body)
            #expect(denied.status == .forbidden)
            #expect(try denied.jsonObject()["error"] as? String == "forbidden")

            let changed = try await client.execute(uri: uri, method: .patch, headers: bearer(alice) + json, body: body)
            #expect(changed.status == .ok)
            let thing = try changed.jsonObject()
            #expect(thing["name"] as? String == "Hexagon Shelf v2")
            #expect(thing["is_wip"] as? Bool == true)
            #expect((thing["tags"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["wall_art", "shelf"])
            let reread = try await client.execute(uri: uri, method: .get, headers: bearer(bob)).jsonObject()
            #expect(reread["name"] as? String == "Hexagon Shelf v2")

            let badLicense = try await client.execute(
                uri: uri, method: .patch, headers: bearer(alice) + json, body: ByteBuffer(string: #"{"license":"mine"}"#))
            #expect(badLicense.status == .badRequest)
        }
    }

    @Test func ownerCanDeleteButOthersGet403() async throws {
        let alice = simulator.token(for: "alice_prints")
        try await withRouter(simulator, signedIn: "bob_builds") { client, bob in
            let uri = "/api/things/\(seededThingID(23))"
            #expect(try await client.execute(uri: uri, method: .delete, headers: bearer(bob)).status == .forbidden)
            #expect(try await client.execute(uri: uri, method: .get, headers: bearer(bob)).status == .ok)
            let deleted = try await client.execute(uri: uri, method: .delete, headers: bearer(alice))
            #expect(deleted.status == .ok)
            #expect(try await client.execute(uri: uri, method: .get, headers: bearer(bob)).status == .notFound)
        }
    }

    @Test func createdThingIsADraftVisibleOnlyToItsOwner() async throws {
        let bob = simulator.token(for: "bob_builds")
        try await withRouter(simulator, signedIn: "alice_prints") { client, alice in
            let created = try await client.execute(
                uri: "/api/things/", method: .post, headers: bearer(bob) + [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"name":"Cable Comb","license":"cc-sa","category":"Tools","tags":["cables"]}"#))
            #expect(created.status == .created)
            let thing = try created.jsonObject()
            let id = try #require(thing["id"] as? Int)
            #expect(thing["is_published"] as? Bool == false)
            #expect(thing["license"] as? String == "cc-sa")
            #expect((thing["creator"] as? [String: Any])?["name"] as? String == "bob_builds")
            #expect(try await client.api(.get, "/things/\(id)", token: bob).status == .ok)
            #expect(
                try await client.api(.get, "/things/\(id)", token: alice).status
                    == .forbidden)
            let own = try await client.api(.get, "/users/me/things?per_page=100", token: bob)
            #expect(try own.jsonArray().contains { $0["id"] as? Int == id })
            let public_ = try await client.api(.get, "/users/bob_builds/things?per_page=100", token: alice)
            #expect(try !public_.jsonArray().contains { $0["id"] as? Int == id })

            let nameless = try await client.execute(
                uri: "/api/things", method: .post, headers: bearer(bob) + [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"license":"cc"}"#))
            #expect(nameless.status == .badRequest)
        }
    }

    @Test func remixRecordsAncestorsAndDerivatives() async throws {
        try await withRouter(simulator, signedIn: "bob_builds") { client, bob in
            let created = try await client.execute(
                uri: "/api/things", method: .post, headers: bearer(bob) + [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"name":"Dragon Remix","description":"Longer tail.","ancestors":[\#(seededThingID(10))]}"#))
            let id = try #require(try created.jsonObject()["id"] as? Int)
            let ancestors = try await client.api(.get, "/things/\(id)/ancestors", token: bob)
            #expect(try ancestors.jsonArray().compactMap { $0["id"] as? Int } == [seededThingID(10)])
            // Drafts are not shown to others, but their owner sees the remix.
            let derivatives = try await client.api(.get, "/things/\(seededThingID(10))/derivatives", token: bob)
            #expect(try derivatives.jsonArray().compactMap { $0["id"] as? Int } == [id])
            let published = try await client.api(.post, "/things/\(id)/publish", token: bob)
            #expect(published.status == .ok)
            #expect(try published.jsonObject()["is_published"] as? Bool == true)
        }
    }

    @Test func publishingWithoutADescriptionListsTheErrors() async throws {
        try await withRouter(simulator, signedIn: "bob_builds") { client, bob in
            let created = try await client.execute(
                uri: "/api/things", method: .post, headers: bearer(bob) + [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"name":"Bare"}"#))
            let id = try #require(try created.jsonObject()["id"] as? Int)
            let refused = try await client.api(.post, "/things/\(id)/publish", token: bob)
            #expect(refused.status == .badRequest)
            #expect(try refused.jsonObject()["errors"] as? [String] == ["The thing needs a description."])
        }
    }

    @Test func fileURLsResolve() async throws {
        try await withRouter(simulator, signedIn: "bob_builds") { client, bob in
            let files = try await client.api(.get, "/things/\(seededThingID(21))/files", token: bob).jsonArray()
            let url = try #require(files.first?["url"] as? String)
            let file = try await client.getOK(String(url.dropFirst("http://sim.test".count)), headers: bearer(bob))
            #expect(try file.jsonObject()["name"] as? String == "succulent_planter.stl")
        }
    }

    @Test func seededDraftIsListedOnlyForItsOwner() async throws {
        let alice = simulator.token(for: "alice_prints")
        try await withRouter(simulator, signedIn: "bob_builds") { client, bob in
            let asOwner = try await client.api(.get, "/users/alice_prints/things", token: alice)
            let asOther = try await client.api(.get, "/users/alice_prints/things", token: bob)
            #expect(try asOwner.jsonArray().count == 15)
            #expect(try asOther.jsonArray().count == 14)
        }
    }
}
