import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import ThingiverseSimulator

@Suite struct LikesTests {
    let simulator = Fixture.simulator()

    @Test func likingTwiceIs400AndTheLikeIsListed() async throws {
        try await withRouter(simulator, signedIn: "bob_builds") { client, bob in
            // Index 1 is not liked by bob in the seed ((1*7 + 3*3) % 5 != 0).
            let uri = "/api/things/\(seededThingID(1))/likes"
            let before = try await client.api(.get, "/things/\(seededThingID(1))", token: bob)
            let countBefore = try #require(try before.jsonObject()["like_count"] as? Int)
            #expect(try before.jsonObject()["is_liked"] as? Bool == false)

            let first = try await client.execute(uri: uri, method: .post, headers: bearer(bob))
            #expect(first.status == .ok)
            #expect(try first.jsonObject()["ok"] as? String == "ok")
            let second = try await client.execute(uri: uri, method: .post, headers: bearer(bob))
            #expect(second.status == .badRequest)
            #expect(try second.jsonObject()["error"] as? String == "bad_request")

            let after = try await client.api(.get, "/things/\(seededThingID(1))", token: bob)
            #expect(try after.jsonObject()["like_count"] as? Int == countBefore + 1)
            #expect(try after.jsonObject()["is_liked"] as? Bool == true)
            let likers = try await client.execute(uri: uri, method: .get, headers: bearer(bob)).jsonArray()
            #expect(likers.contains { $0["name"] as? String == "bob_builds" })
        }
    }

    @Test func unlikingWhatYouDoNotLikeIs400() async throws {
        let bob = simulator.token(for: "bob_builds")
        try await withRouter(simulator) { client async throws in
            let uri = "/api/things/\(seededThingID(1))/likes"
            #expect(try await client.execute(uri: uri, method: .delete, headers: bearer(bob)).status == .badRequest)
            #expect(try await client.execute(uri: uri, method: .post, headers: bearer(bob)).status == .ok)
            #expect(try await client.execute(uri: uri, method: .delete, headers: bearer(bob)).status == .ok)
            #expect(try await client.execute(uri: uri, method: .delete, headers: bearer(bob)).status == .badRequest)
        }
    }

    @Test func likingYourOwnThingIs400AndUnknownThingsAre404() async throws {
        try await withRouter(simulator, signedIn: "alice_prints") { client, alice in
            let own = try await client.api(.post, "/things/\(seededThingID(21))/likes", token: alice)
            #expect(own.status == .badRequest)
            for method in [HTTPRequest.Method.post, .delete] {
                let missing = try await client.execute(uri: "/api/things/12345/likes", method: method, headers: bearer(alice))
                #expect(missing.status == .notFound)
                #expect(try missing.jsonObject()["error"] as? String == "not_found")
            }
        }
    }
}
