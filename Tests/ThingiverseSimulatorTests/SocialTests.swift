import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import ThingiverseSimulator

@Suite struct SocialTests {
    let simulator = Fixture.simulator()

    @Test func followingCountsAndRefusesYourselfAndRepeats() async throws {
        try await withRouter(simulator, signedIn: "bob_builds") { client, bob in
            let before = try await client.api(.get, "/users/makerbot", token: bob).jsonObject()
            #expect(before["is_following"] as? Bool == false)
            let count = try #require(before["follower_count"] as? Int)
            #expect(try await client.api(.post, "/users/makerbot/followers", token: bob).status == .ok)
            #expect(try await client.api(.post, "/users/makerbot/followers", token: bob).status == .badRequest)
            #expect(try await client.api(.post, "/users/bob_builds/followers", token: bob).status == .badRequest)
            #expect(try await client.api(.post, "/users/nobody_here/followers", token: bob).status == .notFound)
            let after = try await client.api(.get, "/users/makerbot", token: bob).jsonObject()
            #expect(after["follower_count"] as? Int == count + 1)
            #expect(after["is_following"] as? Bool == true)
            #expect(try await client.api(.delete, "/users/makerbot/followers", token: bob).status == .ok)
            #expect(try await client.api(.delete, "/users/makerbot/followers", token: bob).status == .badRequest)
        }
    }

    @Test func copiesAreLikedEditedAndDeletedOnlyByTheRightPeople() async throws {
        let alice = simulator.token(for: "alice_prints")
        try await withRouter(simulator, signedIn: "bob_builds") { client, bob in
            // 900001 is alice's make.
            #expect(try await client.api(.post, "/copies/900001/likes", token: alice).status == .badRequest)
            let before = try #require(try await client.api(.get, "/copies/900001", token: bob).jsonObject()["like_count"] as? Int)
            #expect(try await client.api(.post, "/copies/900001/likes", token: bob).status == .ok)
            let liked = try await client.api(.get, "/copies/900001", token: bob).jsonObject()
            #expect(liked["like_count"] as? Int == before + 1)
            #expect(liked["is_liked"] as? Bool == true)

            #expect(try await client.api(.patch, "/copies/900001", token: bob, json: #"{"description":"mine now"}"#).status == .forbidden)
            let edited = try await client.api(.patch, "/copies/900001", token: alice, json: #"{"description":"Reprinted in silk PLA."}"#)
            #expect(try edited.jsonObject()["description"] as? String == "Reprinted in silk PLA.")
            #expect(try await client.api(.delete, "/copies/900001/images/9000011", token: bob).status == .forbidden)
            #expect(try await client.api(.delete, "/copies/900001/images/9000011", token: alice).status == .ok)
            #expect(try await client.api(.get, "/copies/900001/images", token: alice).jsonArray().isEmpty)

            #expect(try await client.api(.delete, "/copies/900001", token: bob).status == .forbidden)
            #expect(try await client.api(.delete, "/copies/900001", token: alice).status == .ok)
            #expect(try await client.api(.get, "/copies/900001", token: alice).status == .notFound)
            #expect(try await client.api(.get, "/copies", token: alice).jsonArray().allSatisfy { $0["id"] as? Int != 900001 })
        }
    }

    @Test func thingImagesAreReorderedAndDeletedByTheOwner() async throws {
        let alice = simulator.token(for: "alice_prints")
        let bob = simulator.token(for: "bob_builds")
        let thing = seededThingID(26)
        let second = thing * 10 + 2
        try await withRouter(simulator) { client in
            #expect(try await client.api(.patch, "/things/\(thing)/images/\(second)", token: bob, json: #"{"featured":true}"#).status == .forbidden)
            #expect(try await client.api(.patch, "/things/\(thing)/images/\(second)", token: alice, json: #"{"featured":true}"#).status == .ok)
            let images = try await client.api(.get, "/things/\(thing)/images", token: bob).jsonArray()
            #expect(images.compactMap { $0["id"] as? Int } == [second, thing * 10 + 1])
            let shown = try await client.api(.get, "/things/\(thing)", token: bob).jsonObject()
            #expect((shown["default_image"] as? [String: Any])?["id"] as? Int == second)
            #expect(try await client.api(.delete, "/things/\(thing)/images/\(second)", token: alice).status == .ok)
            #expect(try await client.api(.get, "/things/\(thing)/images/\(second)", token: bob).status == .notFound)
        }
    }

    @Test func eventCountReadsTheTimestampParameter() async throws {
        try await withRouter(simulator, signedIn: "alice_prints") { client, alice in
            let all = try #require(try await client.api(.get, "/users/alice_prints/event-count", token: alice).jsonObject()["count"] as? Int)
            #expect(all > 0)
            let future = try await client.api(.get, "/users/alice_prints/event-count?timestamp=2030-01-01T00:00:00%2B00:00", token: alice)
            #expect(try future.jsonObject()["count"] as? Int == 0)
            #expect(try await client.api(.get, "/users/alice_prints/event-count?timestamp=yesterday", token: alice).status == .badRequest)
        }
    }

    @Test func verifiedAndLibrarySearchListThings() async throws {
        try await withRouter(simulator, signedIn: "alice_prints") { client, alice in
            let verified = try await client.api(.get, "/verified", token: alice).jsonArray()
            #expect(!verified.isEmpty)
            #expect(verified.allSatisfy { ($0["id"] as? Int).map { ($0 - 4_100_000) / 17 % 7 == 3 } == true })
            let library = try await client.api(.get, "/search/planter/library", token: alice).jsonArray()
            #expect(library.compactMap { $0["name"] as? String } == ["Succulent Planter"])
            #expect(try await client.api(.get, "/search/zzz-nothing/library", token: alice).jsonArray().isEmpty)
        }
    }
}
