import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import ThingiverseSimulator

@Suite struct UserEchoListTests {
    @Test func forumsAreSeededWithTheirLabels() async throws {
        try await withUserEchoRouter(UserEchoFixture.simulator()) { client in
            let forums = try await client.userEcho("forums").userEchoList()
            #expect(forums.map { $0["name"] as? String } == ["Ideas & feedback", "Bug reports"])
            #expect(forums.map { $0["topics_count"] as? Int } == [5, 3])
            #expect(forums.first?["url"] as? String == "http://forum.test/forums/1-ideas-feedback")
            let types = try await client.userEcho("forums/2/types").userEchoList()
            #expect(types.map { $0["name"] as? String } == ["Problem", "Question"])
            #expect(types.allSatisfy { $0["forum_id"] as? Int == 2 })
            let categories = try await client.userEcho("forums/1/categories").userEchoList()
            #expect(userEchoIDs(categories) == [1, 2, 3])
            let tags = try await client.userEcho("forums/1/tags").userEchoList()
            #expect(tags.map { $0["name"] as? String } == ["ui", "performance", "accessibility"])
        }
    }

    @Test func topicHasUserEchoShape() async throws {
        try await withUserEchoRouter(UserEchoFixture.simulator()) { client in
            let topic = try await client.userEcho("topics/1").userEchoObject()
            #expect(topic["id"] as? Int == 1)
            #expect(topic["forum_id"] as? Int == 1)
            #expect(topic["header"] as? String == "Dark mode for the thing editor")
            #expect((topic["description"] as? String)?.isEmpty == false)
            #expect(topic["status"] as? Int == 3)
            #expect(topic["status_name"] as? String == "Planned")
            #expect(topic["vote_diff"] as? Int == 3)
            #expect(topic["comment_count"] as? Int == 3)
            #expect(topic["created"] as? String == "2014-03-10T08:21:05.402Z")
            #expect(topic["updated"] as? String == "2014-04-25T04:17:38.306Z")
            #expect(topic["url"] as? String == "http://forum.test/topics/1-dark-mode-for-the-thing-editor")
            let author = try #require(topic["author"] as? [String: Any])
            #expect(author["id"] as? Int == 3)
            #expect(author["name"] as? String == "Liam Maker")
            #expect(author["avatar_url"] as? String == "http://forum.test/avatars/3.png")
            let tags = try #require(topic["tags"] as? [[String: Any]])
            #expect(tags.map { $0["name"] as? String } == ["ui", "accessibility"])
            #expect((topic["type"] as? [String: Any])?["name"] as? String == "Idea")
            #expect((topic["category"] as? [String: Any])?["name"] as? String == "Thing pages")
        }
    }

    @Test func forumTopicsAreNewestFirstAndPaged() async throws {
        try await withUserEchoRouter(UserEchoFixture.simulator()) { client in
            #expect(userEchoIDs(try await client.userEcho("forums/1/topics").userEchoList()) == [5, 4, 3, 2, 1])
            #expect(userEchoIDs(try await client.userEcho("forums/1/topics", query: "limit=2").userEchoList()) == [5, 4])
            #expect(userEchoIDs(try await client.userEcho("forums/1/topics", query: "limit=2&page=2").userEchoList()) == [3, 2])
            #expect(userEchoIDs(try await client.userEcho("forums/1/topics", query: "limit=2&page=9").userEchoList()) == [])
            let bad = try await client.userEcho("forums/1/topics", query: "page=0")
            #expect(bad.status == .badRequest)
            #expect(try bad.userEchoError() == "page must be a positive integer.")
            #expect(try await client.userEcho("forums/1/topics", query: "limit=lots").status == .badRequest)
        }
    }

    @Test func listsHoldFiftyByDefault() async throws {
        try await withUserEchoRouter(UserEchoFixture.simulator()) { client in
            for number in 1...50 {
                let created = try await client.userEcho("forums/2/topics", method: .post, form: [("header", "Bug \(number)")])
                #expect(created.status == .ok)
            }
            let first = try await client.userEcho("forums/2/topics").userEchoList()
            #expect(first.count == 50)
            let second = try await client.userEcho("forums/2/topics", query: "page=2").userEchoList()
            #expect(userEchoIDs(second) == [8, 7, 6])
        }
    }

    @Test func filtersNarrowLists() async throws {
        try await withUserEchoRouter(UserEchoFixture.simulator()) { client in
            func topicIDs(_ query: String, forum: Int = 1) async throws -> [Int] {
                userEchoIDs(try await client.userEcho("forums/\(forum)/topics", query: query).userEchoList())
            }
            #expect(try await topicIDs("filter__status=3") == [1])
            #expect(try await topicIDs("filter__status__in=4,6", forum: 2) == [8, 6])
            #expect(try await topicIDs("filter__header__icontains=DARK") == [1])
            #expect(try await topicIDs("filter__header__contains=DARK") == [])
            #expect(try await topicIDs("filter__id__gte=4") == [5, 4])
            #expect(try await topicIDs("filter__created__lt=2014-03-22") == [2, 1])
            #expect(try await topicIDs("filter__author=4") == [4, 2])
            #expect(try await topicIDs("filter__custom_fields__cf_1=1") == [])
            let unknown = try await client.userEcho("forums/1/topics", query: "filter__status__near=3")
            #expect(unknown.status == .badRequest)
        }
    }

    @Test func topicsByUserCategoryTagAndSearch() async throws {
        try await withUserEchoRouter(UserEchoFixture.simulator()) { client in
            #expect(userEchoIDs(try await client.userEcho("forums/1/users/4/topics").userEchoList()) == [4, 2])
            #expect(userEchoIDs(try await client.userEcho("users/4/topics").userEchoList()) == [7, 4, 2])
            #expect(userEchoIDs(try await client.userEcho("categories/2/topics").userEchoList()) == [3, 1])
            #expect(userEchoIDs(try await client.userEcho("tags/1/topics").userEchoList()) == [3, 1])
            #expect(try await client.userEcho("tags/99/topics").status == .notFound)
            let search = try await client.userEcho("forums/1/topics/search", query: "query=print%20TIME")
            #expect(userEchoIDs(try search.userEchoList()) == [3])
            #expect(try await client.userEcho("forums/1/topics/search").status == .badRequest)
        }
    }

    @Test func commentsAreOldestFirstAndVotersListed() async throws {
        try await withUserEchoRouter(UserEchoFixture.simulator()) { client in
            let comments = try await client.userEcho("topics/1/comments").userEchoList()
            #expect(userEchoIDs(comments) == [1, 2, 3])
            let first = try #require(comments.first)
            #expect(first["topic_id"] as? Int == 1)
            #expect(first["forum_id"] as? Int == 1)
            #expect((first["author"] as? [String: Any])?["name"] as? String == "Emma Moderator")
            #expect(first["created"] as? String == "2014-03-14T09:00:00.000Z")
            #expect(userEchoIDs(try await client.userEcho("users/3/comments").userEchoList()) == [4, 8, 10])
            let voters = try await client.userEcho("topics/3/voters").userEchoList()
            #expect(voters.map { $0["name"] as? String } == ["Alice Prints", "Liam Maker"])
            #expect(voters.map { $0["vote"] as? Int } == [1, -1])
            #expect(try await client.userEcho("topics/3").userEchoObject()["vote_diff"] as? Int == 0)
        }
    }

    @Test func usersAreListedAndFoundByIDOrGuid() async throws {
        try await withUserEchoRouter(UserEchoFixture.simulator()) { client in
            let users = try await client.userEcho("users").userEchoList()
            #expect(users.map { $0["name"] as? String } == ["API", "Emma Moderator", "Liam Maker", "Alice Prints", "Noah Tinkerer"])
            let alice = try await client.userEcho("users/sso/thingiverse:244").userEchoObject()
            #expect(alice["id"] as? Int == 4)
            #expect(alice["email"] as? String == "alice@example.com")
            #expect(alice["sso_guid"] as? String == "thingiverse:244")
            #expect(try await client.userEcho("users/2").userEchoObject()["is_admin"] as? Bool == true)
            #expect(try await client.userEcho("users/sso/nobody").status == .notFound)
            #expect(try await client.userEcho("users/77").status == .notFound)
        }
    }

    @Test func urlsFollowTheBaseURL() async throws {
        let simulator = UserEchoFixture.simulator()
        simulator.setBaseURL("http://127.0.0.1:8080/sim/userecho/")
        #expect(simulator.configuration.baseURL == "http://127.0.0.1:8080/sim/userecho")
        try await withUserEchoRouter(simulator, prefix: "/sim/userecho") { client in
            let topic = try await client.userEcho("topics/5", prefix: "/sim/userecho").userEchoObject()
            #expect(topic["url"] as? String == "http://127.0.0.1:8080/sim/userecho/topics/5-thanks-for-the-new-search")
            #expect(try await client.execute(uri: "/sim/userecho/topics/5-thanks-for-the-new-search", method: .get).status == .ok)
        }
    }
}
