import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import ThingiverseSimulator

@Suite struct ThingsTests {
    let simulator = Fixture.simulator()

    @Test func thingHasTheDocumentedFields() async throws {
        let token = simulator.issueToken(user: "bob_builds", clientID: "client-one")
        try await withRouter(simulator) { client in
            let response = try await client.execute(uri: "/api/things/\(seededThingID(21))", method: .get, headers: bearer(token))
            #expect(response.status == .ok)
            let thing = try response.jsonObject()
            #expect(thing["id"] as? Int == seededThingID(21))
            #expect(thing["name"] as? String == "Succulent Planter")
            #expect(thing["url"] as? String == "http://sim.test/api/things/\(seededThingID(21))")
            #expect((thing["creator"] as? [String: Any])?["name"] as? String == "alice_prints")
            #expect(thing["images_url"] as? String == "http://sim.test/api/things/\(seededThingID(21))/images")
            #expect(thing["is_published"] as? Bool == true)
            #expect((thing["tags"] as? [[String: Any]])?.count == 2)
            let images = try await client.execute(
                uri: "/api/things/\(seededThingID(21))/images", method: .get, headers: bearer(token)
            ).jsonArray()
            #expect(images.count == 2)
            let files = try await client.execute(
                uri: "/api/things/\(seededThingID(21))/files", method: .get, headers: bearer(token)
            ).jsonArray()
            #expect(files.first?["name"] as? String == "succulent_planter.stl")
            #expect(
                try await client.execute(uri: "/api/things/999", method: .get, headers: bearer(token)).status == .notFound)
        }
    }

    @Test func ownerCanPatchButOthersGet403() async throws {
        let alice = simulator.issueToken(user: "alice_prints", clientID: "client-one")
        let bob = simulator.issueToken(user: "bob_builds", clientID: "client-one")
        try await withRouter(simulator) { client in
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
        let alice = simulator.issueToken(user: "alice_prints", clientID: "client-one")
        let bob = simulator.issueToken(user: "bob_builds", clientID: "client-one")
        try await withRouter(simulator) { client in
            let uri = "/api/things/\(seededThingID(23))"
            #expect(try await client.execute(uri: uri, method: .delete, headers: bearer(bob)).status == .forbidden)
            #expect(try await client.execute(uri: uri, method: .get, headers: bearer(bob)).status == .ok)
            let deleted = try await client.execute(uri: uri, method: .delete, headers: bearer(alice))
            #expect(deleted.status == .ok)
            #expect(try await client.execute(uri: uri, method: .get, headers: bearer(bob)).status == .notFound)
        }
    }

    @Test func createdThingIsADraftVisibleOnlyToItsOwner() async throws {
        let bob = simulator.issueToken(user: "bob_builds", clientID: "client-one")
        let alice = simulator.issueToken(user: "alice_prints", clientID: "client-one")
        try await withRouter(simulator) { client in
            let created = try await client.execute(
                uri: "/api/things/", method: .post, headers: bearer(bob) + [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"name":"Cable Comb","license":"cc-sa","category":"Tools","tags":["cables"]}"#))
            #expect(created.status == .created)
            let thing = try created.jsonObject()
            let id = try #require(thing["id"] as? Int)
            #expect(thing["is_published"] as? Bool == false)
            #expect(thing["license"] as? String == "cc-sa")
            #expect((thing["creator"] as? [String: Any])?["name"] as? String == "bob_builds")
            #expect(try await client.execute(uri: "/api/things/\(id)", method: .get, headers: bearer(bob)).status == .ok)
            #expect(
                try await client.execute(uri: "/api/things/\(id)", method: .get, headers: bearer(alice)).status
                    == .forbidden)
            let own = try await client.execute(uri: "/api/users/me/things?per_page=100", method: .get, headers: bearer(bob))
            #expect(try own.jsonArray().contains { $0["id"] as? Int == id })
            let public_ = try await client.execute(
                uri: "/api/users/bob_builds/things?per_page=100", method: .get, headers: bearer(alice))
            #expect(try !public_.jsonArray().contains { $0["id"] as? Int == id })

            let nameless = try await client.execute(
                uri: "/api/things", method: .post, headers: bearer(bob) + [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"license":"cc"}"#))
            #expect(nameless.status == .badRequest)
        }
    }

    @Test func remixRecordsAncestorsAndDerivatives() async throws {
        let bob = simulator.issueToken(user: "bob_builds", clientID: "client-one")
        try await withRouter(simulator) { client in
            let created = try await client.execute(
                uri: "/api/things", method: .post, headers: bearer(bob) + [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"name":"Dragon Remix","description":"Longer tail.","ancestors":[\#(seededThingID(10))]}"#))
            let id = try #require(try created.jsonObject()["id"] as? Int)
            let ancestors = try await client.execute(uri: "/api/things/\(id)/ancestors", method: .get, headers: bearer(bob))
            #expect(try ancestors.jsonArray().compactMap { $0["id"] as? Int } == [seededThingID(10)])
            // Drafts are not shown to others, but their owner sees the remix.
            let derivatives = try await client.execute(
                uri: "/api/things/\(seededThingID(10))/derivatives", method: .get, headers: bearer(bob))
            #expect(try derivatives.jsonArray().compactMap { $0["id"] as? Int } == [id])
            let published = try await client.execute(uri: "/api/things/\(id)/publish", method: .post, headers: bearer(bob))
            #expect(published.status == .ok)
            #expect(try published.jsonObject()["is_published"] as? Bool == true)
        }
    }

    @Test func publishingWithoutADescriptionListsTheErrors() async throws {
        let bob = simulator.issueToken(user: "bob_builds", clientID: "client-one")
        try await withRouter(simulator) { client in
            let created = try await client.execute(
                uri: "/api/things", method: .post, headers: bearer(bob) + [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"name":"Bare"}"#))
            let id = try #require(try created.jsonObject()["id"] as? Int)
            let refused = try await client.execute(uri: "/api/things/\(id)/publish", method: .post, headers: bearer(bob))
            #expect(refused.status == .badRequest)
            #expect(try refused.jsonObject()["errors"] as? [String] == ["The thing needs a description."])
        }
    }

    @Test func fileURLsResolve() async throws {
        let bob = simulator.issueToken(user: "bob_builds", clientID: "client-one")
        try await withRouter(simulator) { client in
            let files = try await client.execute(
                uri: "/api/things/\(seededThingID(21))/files", method: .get, headers: bearer(bob)
            ).jsonArray()
            let url = try #require(files.first?["url"] as? String)
            let file = try await client.execute(uri: String(url.dropFirst("http://sim.test".count)), method: .get, headers: bearer(bob))
            #expect(file.status == .ok)
            #expect(try file.jsonObject()["name"] as? String == "succulent_planter.stl")
        }
    }

    @Test func seededDraftIsListedOnlyForItsOwner() async throws {
        let alice = simulator.issueToken(user: "alice_prints", clientID: "client-one")
        let bob = simulator.issueToken(user: "bob_builds", clientID: "client-one")
        try await withRouter(simulator) { client in
            let asOwner = try await client.execute(uri: "/api/users/alice_prints/things", method: .get, headers: bearer(alice))
            let asOther = try await client.execute(uri: "/api/users/alice_prints/things", method: .get, headers: bearer(bob))
            #expect(try asOwner.jsonArray().count == 15)
            #expect(try asOther.jsonArray().count == 14)
        }
    }
}
