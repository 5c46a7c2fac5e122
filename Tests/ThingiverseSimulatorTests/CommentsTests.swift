import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import ThingiverseSimulator

@Suite struct CommentsTests {
    let simulator = Fixture.simulator()

    @Test func postedCommentsAndRepliesAreListedFlatAndThreaded() async throws {
        let bob = simulator.token(for: "bob_builds")
        let alice = simulator.token(for: "alice_prints")
        let thingID = seededThingID(20)
        try await withRouter(simulator) { client in
            let before = try await client.api(.get, "/things/\(thingID)", token: bob).jsonObject()["comment_count"] as? Int
            let created = try await client.api(.post, "/things/\(thingID)/comments", token: bob, json: #"{"body":"Drainage holes?"}"#)
            #expect(created.status == .created)
            let comment = try created.jsonObject()
            let commentID = try #require(comment["id"] as? Int)
            #expect(comment["target_type"] as? String == "thing")
            #expect((comment["user"] as? [String: Any])?["name"] as? String == "bob_builds")

            let reply = try await client.api(.post, "/comments/\(commentID)/reply", token: alice, json: #"{"body":"Version 2 has them."}"#)
            let replyID = try #require(try reply.jsonObject()["id"] as? Int)
            #expect(try reply.jsonObject()["parent_id"] as? Int == commentID)

            let flat = try await client.api(.get, "/things/\(thingID)/comments", token: bob).jsonArray()
            #expect(flat.suffix(2).compactMap { $0["id"] as? Int } == [commentID, replyID])
            let after = try await client.api(.get, "/things/\(thingID)", token: bob).jsonObject()["comment_count"] as? Int
            #expect(after == (before ?? 0) + 2)

            let threaded = try await client.api(.get, "/things/\(thingID)/threaded-comments", token: bob).jsonObject()
            let threads = try #require(threaded["comments"] as? [String: [[String: Any]]])
            #expect(threads[""]?.contains { $0["id"] as? Int == commentID } == true)
            #expect(threads[String(commentID)]?.map { $0["id"] as? Int } == [replyID])
            let users = try #require(threaded["users"] as? [String: Any])
            #expect(users["731542"] != nil && users["244"] != nil)
        }
    }

    @Test func onlyTheAuthorEditsAndEditsChangeOnlyTheBody() async throws {
        let bob = simulator.token(for: "bob_builds")
        try await withRouter(simulator, signedIn: "makerbot") { client, makerbot in
            let created = try await client.api(
                .post, "/comments", token: bob, json: #"{"body":"First!","target_type":"make","target_id":900001}"#)
            let comment = try created.jsonObject()
            let id = try #require(comment["id"] as? Int)
            #expect(comment["target_url"] as? String == "http://sim.test/api/copies/900001")

            let denied = try await client.api(.patch, "/comments/\(id)", token: makerbot, json: #"{"body":"Hacked"}"#)
            #expect(denied.status == .forbidden)
            #expect(try denied.jsonObject()["error"] as? String == "forbidden")

            let edited = try await client.api(.patch, "/comments/\(id)", token: bob, json: #"{"body":"Second, actually."}"#).jsonObject()
            #expect(edited["body"] as? String == "Second, actually.")
            #expect(edited["target_id"] as? Int == 900001)
            let unchanged = try await client.api(.patch, "/comments/\(id)", token: bob, json: "{}").jsonObject()
            #expect(unchanged["body"] as? String == "Second, actually.")

            #expect(
                try await client.api(.post, "/comments", token: bob, json: #"{"body":"x","target_type":"car","target_id":1}"#).status
                    == .badRequest)
            #expect(
                try await client.api(.post, "/comments", token: bob, json: #"{"target_type":"thing","target_id":\#(seededThingID(1))}"#).status
                    == .badRequest)
        }
    }

    @Test func deletingACommentRemovesItsReplies() async throws {
        let alice = simulator.token(for: "alice_prints")
        try await withRouter(simulator, signedIn: "bob_builds") { client, bob in
            // 2_000_100 is alice's comment on thing 1; make a reply to it.
            let reply = try await client.api(.post, "/comments/2000100/reply", token: bob, json: #"{"body":"Agreed."}"#)
            let replyID = try #require(try reply.jsonObject()["id"] as? Int)
            #expect(try await client.api(.delete, "/comments/2000100", token: bob).status == .forbidden)
            #expect(try await client.api(.delete, "/comments/2000100", token: alice).status == .ok)
            #expect(try await client.api(.get, "/comments/2000100", token: alice).status == .notFound)
            #expect(try await client.api(.get, "/comments/\(replyID)", token: alice).status == .notFound)
        }
    }

    @Test func latestCommentsPageWithALinkHeader() async throws {
        try await withRouter(simulator, signedIn: "bob_builds") { client, bob in
            let page = try await client.api(.get, "/comments?per_page=5&page=2", token: bob)
            #expect(try page.jsonArray().count == 5)
            let rels = links(page.header("Link"))
            #expect(rels["next"]?.contains("page=3&per_page=5") == true)
            #expect(rels["prev"]?.contains("page=1&per_page=5") == true)
        }
    }
}
