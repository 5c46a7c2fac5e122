import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import ThingiverseSimulator

@Suite struct CollectionsTests {
    let simulator = Fixture.simulator()

    @Test func createdCollectionCollectsThingsAndIsDeletedByItsOwner() async throws {
        let bob = simulator.token(for: "bob_builds")
        try await withRouter(simulator, signedIn: "alice_prints") { client, alice in
            #expect(try await client.api(.post, "/collections", token: bob, json: #"{"description":"no name"}"#).status == .badRequest)
            let created = try await client.api(.post, "/collections", token: bob, json: #"{"name":"Desk Stuff","description":"For the office."}"#)
            #expect(created.status == .created)
            let id = try #require(try created.jsonObject()["id"] as? Int)

            let thing = seededThingID(7)
            let collectBefore = try await client.api(.get, "/things/\(thing)", token: bob).jsonObject()["collect_count"] as? Int
            #expect(try await client.api(.post, "/collections/\(id)/thing/\(thing)", token: alice).status == .forbidden)
            #expect(try await client.api(.post, "/collections/\(id)/thing/\(thing)", token: bob).status == .ok)
            #expect(try await client.api(.post, "/collections/\(id)/thing/\(thing)", token: bob).status == .badRequest)
            #expect(try await client.api(.post, "/collections/\(id)/thing/999", token: bob).status == .notFound)
            let things = try await client.api(.get, "/collections/\(id)/things", token: alice).jsonArray()
            #expect(things.compactMap { $0["id"] as? Int } == [thing])
            let collectAfter = try await client.api(.get, "/things/\(thing)", token: bob).jsonObject()["collect_count"] as? Int
            #expect(collectAfter == (collectBefore ?? 0) + 1)

            let renamed = try await client.api(.patch, "/collections/\(id)", token: bob, json: #"{"name":"Desk Things"}"#).jsonObject()
            #expect(renamed["name"] as? String == "Desk Things")
            #expect(renamed["description"] as? String == "For the office.")
            #expect(renamed["count"] as? Int == 1)
            #expect(try await client.api(.patch, "/collections/\(id)", token: alice, json: #"{"name":"Mine"}"#).status == .forbidden)

            let listed = try await client.api(.get, "/users/bob_builds/collections", token: alice).jsonArray()
            #expect(listed.contains { $0["id"] as? Int == id })

            #expect(try await client.api(.delete, "/collections/\(id)/thing/\(thing)", token: bob).status == .ok)
            #expect(try await client.api(.delete, "/collections/\(id)/thing/\(thing)", token: bob).status == .badRequest)
            #expect(try await client.api(.delete, "/collections/\(id)", token: alice).status == .forbidden)
            #expect(try await client.api(.delete, "/collections/\(id)", token: bob).status == .ok)
            #expect(try await client.api(.get, "/collections/\(id)", token: bob).status == .notFound)
        }
    }
}
