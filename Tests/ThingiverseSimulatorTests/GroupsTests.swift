import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import ThingiverseSimulator

@Suite struct GroupsTests {
    let simulator = Fixture.simulator()

    @Test func createdGroupHasItsOwnerAsFirstMemberAndOthersCanJoinAndLeave() async throws {
        let bob = simulator.token(for: "bob_builds")
        try await withRouter(simulator, signedIn: "alice_prints") { client, alice in
            let created = try await client.api(
                .post, "/groups", token: bob, json: #"{"name":"Drone Parts","description":"Frames and guards.","slug":"drone-parts"}"#)
            #expect(created.status == .created)
            let group = try created.jsonObject()
            let id = try #require(group["id"] as? Int)
            #expect(group["member_count"] as? Int == 1)
            #expect(try await client.api(.get, "/groups/\(id)", token: alice).jsonObject()["slug"] as? String == "drone-parts")
            let taken = try await client.api(.post, "/groups", token: alice, json: #"{"name":"Again","slug":"drone-parts"}"#)
            #expect(taken.status == .badRequest)

            #expect(try await client.api(.post, "/groups/\(id)/members", token: alice).status == .ok)
            #expect(try await client.api(.post, "/groups/\(id)/members", token: alice).status == .badRequest)
            let members = try await client.api(.get, "/groups/\(id)/members", token: alice).jsonArray()
            #expect(members.compactMap { $0["name"] as? String } == ["bob_builds", "alice_prints"])
            #expect(members.first?["is_owner"] as? Bool == true)

            let mine = try await client.api(.get, "/groups?filter=my-groups", token: alice).jsonArray()
            #expect(mine.contains { $0["id"] as? Int == id })

            // Alice may not rename bob's group or remove bob; she may leave.
            #expect(try await client.api(.patch, "/groups/\(id)", token: alice, json: #"{"name":"Mine"}"#).status == .forbidden)
            #expect(try await client.api(.delete, "/groups/\(id)/members/731542", token: alice).status == .forbidden)
            #expect(try await client.api(.delete, "/groups/\(id)/members", token: bob).status == .badRequest)
            #expect(try await client.api(.delete, "/groups/\(id)/members", token: alice).status == .ok)
            #expect(try await client.api(.get, "/groups/\(id)/members", token: bob).jsonArray().count == 1)

            let renamed = try await client.api(.patch, "/groups/\(id)", token: bob, json: #"{"name":"Drone Frames"}"#).jsonObject()
            #expect(renamed["name"] as? String == "Drone Frames")
            #expect(renamed["description"] as? String == "Frames and guards.")
        }
    }

    @Test func onlyMembersPostTopicsAndOnlyTheOwnerPins() async throws {
        let alice = simulator.token(for: "alice_prints")
        try await withRouter(simulator, signedIn: "bob_builds") { client, bob in
            // 5002 is alice's group; bob is not a member.
            let refused = try await client.api(.post, "/groups/5002/group-topics", token: bob, json: #"{"name":"Hi","body":"?"}"#)
            #expect(refused.status == .forbidden)
            let topic = try await client.api(
                .post, "/groups/5002/group-topics", token: alice, json: #"{"name":"Best UV-proof filament","body":"ASA?"}"#)
            #expect(topic.status == .created)
            let topicID = try #require(try topic.jsonObject()["id"] as? Int)

            #expect(try await client.api(.post, "/group-topics/\(topicID)/pin", token: bob).status == .forbidden)
            let pinned = try await client.api(.post, "/group-topics/\(topicID)/pin", token: alice).jsonObject()
            #expect(pinned["is_pinned"] as? Bool == true)
            let topics = try await client.api(.get, "/groups/5002/group-topics", token: bob).jsonArray()
            #expect(topics.first?["id"] as? Int == topicID)
            #expect(try await client.api(.delete, "/group-topics/\(topicID)/pin", token: alice).jsonObject()["is_pinned"] as? Bool == false)

            let comment = try await client.api(.post, "/group-topics/\(topicID)/comments", token: bob, json: #"{"body":"ASA or PETG."}"#)
            #expect(comment.status == .created)
            let threaded = try await client.api(.get, "/group-topics/\(topicID)/threaded-comments", token: alice).jsonObject()
            #expect((threaded["comments"] as? [String: [Any]])?[""]?.count == 1)
            #expect(try await client.api(.get, "/group-topics/\(topicID)", token: bob).jsonObject()["comment_count"] as? Int == 1)
        }
    }

    @Test func groupThingsAreAddedRemovedAndFeaturedByTheRules() async throws {
        let alice = simulator.token(for: "alice_prints")
        try await withRouter(simulator, signedIn: "bob_builds") { client, bob in
            let thing = seededThingID(20)
            #expect(try await client.api(.post, "/groups/5002/things/\(thing)", token: bob).status == .forbidden)
            #expect(try await client.api(.post, "/groups/5002/things/\(thing)", token: alice).status == .ok)
            #expect(try await client.api(.post, "/groups/5002/things/\(thing)", token: alice).status == .ok)
            let things = try await client.api(.get, "/groups/5002/things", token: bob).jsonArray()
            #expect(things.first?["id"] as? Int == thing)
            #expect(things.filter { $0["id"] as? Int == thing }.count == 1)

            #expect(try await client.api(.patch, "/groups/5002/things/\(thing)", token: alice, json: #"{"rank":0}"#).status == .badRequest)
            #expect(try await client.api(.patch, "/groups/5002/things/\(thing)", token: alice, json: #"{"rank":2}"#).status == .ok)
            #expect(try await client.api(.patch, "/groups/5002/things/\(thing)", token: alice, json: #"{"rank":3}"#).status == .badRequest)
            #expect(try await client.api(.patch, "/groups/5002/things/\(thing)", token: alice, json: #"{"rank":9}"#).status == .badRequest)

            #expect(try await client.api(.delete, "/groups/5002/things/\(thing)", token: alice).status == .ok)
            #expect(try await client.api(.delete, "/groups/5002/things/\(thing)", token: alice).status == .badRequest)
            let searched = try await client.api(.get, "/groups/5002/things?search=feeder", token: bob).jsonArray()
            #expect(searched.compactMap { $0["name"] as? String } == ["Bird Feeder"])
        }
    }
}
