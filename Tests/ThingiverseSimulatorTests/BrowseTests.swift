import HTTPTypes
import HummingbirdTesting
import Testing
import ThingiverseSimulator

@Suite struct BrowseTests {
    @Test func searchFindsByNameAndTagAnd404sWithoutMatches() async throws {
        let simulator = Fixture.simulator()
        let token = simulator.issueToken(user: "alice_prints", clientID: "client-one")
        try await withRouter(simulator) { client in
            let byName = try await client.execute(uri: "/api/search/dragon", method: .get, headers: bearer(token))
            #expect(try byName.jsonArray().first?["name"] as? String == "Articulated Dragon")
            let byTag = try await client.execute(uri: "/api/search/jewelry", method: .get, headers: bearer(token))
            #expect(try byTag.jsonArray().count == 3)
            let none = try await client.execute(uri: "/api/search/xyzzy", method: .get, headers: bearer(token))
            #expect(none.status == .notFound)
        }
    }

    @Test func categoriesTagsAndCollectionsAreBrowsable() async throws {
        let simulator = Fixture.simulator()
        let token = simulator.issueToken(user: "alice_prints", clientID: "client-one")
        try await withRouter(simulator) { client in
            let categories = try await client.execute(uri: "/api/categories", method: .get, headers: bearer(token)).jsonArray()
            #expect(categories.count == 10)
            let toys = try await client.execute(uri: "/api/categories/toys-and-games", method: .get, headers: bearer(token))
            #expect(try toys.jsonObject()["name"] as? String == "Toys & Games")
            let toyThings = try await client.execute(
                uri: "/api/categories/toys-and-games/things", method: .get, headers: bearer(token)
            ).jsonArray()
            #expect(toyThings.count == 5)
            #expect(
                try await client.execute(uri: "/api/categories/nope", method: .get, headers: bearer(token)).status
                    == .notFound)

            let tags = try await client.execute(uri: "/api/tags", method: .get, headers: bearer(token)).jsonArray()
            let names = tags.compactMap { $0["name"] as? String }
            #expect(names == names.sorted() && names.contains("garden"))
            let garden = try await client.execute(uri: "/api/tags/Garden/things", method: .get, headers: bearer(token))
            #expect(try garden.jsonArray().count == 4)

            let collection = try await client.execute(uri: "/api/collections/30005", method: .get, headers: bearer(token))
            #expect(try collection.jsonObject()["name"] as? String == "Garden Projects")
            let things = try await client.execute(
                uri: "/api/collections/30005/things", method: .get, headers: bearer(token)
            ).jsonArray()
            #expect(things.count == 5)
            let mine = try await client.execute(uri: "/api/users/me/collections", method: .get, headers: bearer(token))
            #expect(try mine.jsonArray().allSatisfy { $0["is_editable"] as? Bool == true })
            let copies = try await client.execute(uri: "/api/users/bob_builds/copies", method: .get, headers: bearer(token))
            #expect(try copies.jsonArray().count == 3)
        }
    }

    @Test func popularIsOrderedByLikes() async throws {
        let simulator = Fixture.simulator()
        let token = simulator.issueToken(user: "alice_prints", clientID: "client-one")
        try await withRouter(simulator) { client in
            let things = try await client.execute(uri: "/api/popular", method: .get, headers: bearer(token)).jsonArray()
            let counts = things.compactMap { $0["like_count"] as? Int }
            #expect(counts.count == 30)
            #expect(counts == counts.sorted(by: >))
        }
    }
}
