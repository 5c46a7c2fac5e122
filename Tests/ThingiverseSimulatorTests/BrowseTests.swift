import HTTPTypes
import HummingbirdTesting
import Testing
import ThingiverseSimulator

@Suite struct BrowseTests {
    @Test func searchFindsByNameAndTagAnd404sWithoutMatches() async throws {
        try await withRouter(Fixture.simulator(), signedIn: "alice_prints") { client, token in
            let byName = try await client.api(.get, "/search/dragon", token: token)
            #expect(try byName.jsonArray().first?["name"] as? String == "Articulated Dragon")
            let byTag = try await client.api(.get, "/search/jewelry", token: token)
            #expect(try byTag.jsonArray().count == 3)
            let none = try await client.api(.get, "/search/xyzzy", token: token)
            #expect(none.status == .notFound)
        }
    }

    @Test func categoriesTagsAndCollectionsAreBrowsable() async throws {
        try await withRouter(Fixture.simulator(), signedIn: "alice_prints") { client, token in
            let categories = try await client.api(.get, "/categories", token: token).jsonArray()
            #expect(categories.count == 10)
            let toys = try await client.api(.get, "/categories/toys-and-games", token: token)
            #expect(try toys.jsonObject()["name"] as? String == "Toys & Games")
            let toyThings = try await client.api(.get, "/categories/toys-and-games/things", token: token).jsonArray()
            #expect(toyThings.count == 5)
            #expect(
                try await client.api(.get, "/categories/nope", token: token).status
                    == .notFound)

            let tags = try await client.api(.get, "/tags", token: token).jsonArray()
            let names = tags.compactMap { $0["name"] as? String }
            #expect(names == names.sorted() && names.contains("garden"))
            let garden = try await client.api(.get, "/tags/Garden/things", token: token)
            #expect(try garden.jsonArray().count == 4)

            let collection = try await client.api(.get, "/collections/30005", token: token)
            #expect(try collection.jsonObject()["name"] as? String == "Garden Projects")
            let things = try await client.api(.get, "/collections/30005/things", token: token).jsonArray()
            #expect(things.count == 5)
            let mine = try await client.api(.get, "/users/me/collections", token: token)
            #expect(try mine.jsonArray().allSatisfy { $0["is_editable"] as? Bool == true })
            let copies = try await client.api(.get, "/users/bob_builds/copies", token: token)
            #expect(try copies.jsonArray().count == 3)
        }
    }

    @Test func popularIsOrderedByLikes() async throws {
        try await withRouter(Fixture.simulator(), signedIn: "alice_prints") { client, token in
            let things = try await client.api(.get, "/popular", token: token).jsonArray()
            let counts = things.compactMap { $0["like_count"] as? Int }
            #expect(counts.count == 30)
            #expect(counts == counts.sorted(by: >))
        }
    }
}
