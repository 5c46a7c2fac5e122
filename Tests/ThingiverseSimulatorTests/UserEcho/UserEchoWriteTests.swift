import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import ThingiverseSimulator

@Suite struct UserEchoWriteTests {
    @Test func topicCreationChecksItsFields() async throws {
        try await withUserEchoRouter(UserEchoFixture.simulator()) { client in
            let created = try await client.userEcho(
                "forums/1/topics", method: .post,
                json: #"{"header":"Tagged idea","description":"d","type":2,"category":3,"tags":["ui","2"],"status":3}"#)
            let topic = try created.userEchoObject()
            #expect(topic["id"] as? Int == 9)
            #expect((topic["type"] as? [String: Any])?["name"] as? String == "Question")
            #expect((topic["category"] as? [String: Any])?["name"] as? String == "Mobile app")
            #expect((topic["tags"] as? [[String: Any]])?.map { $0["name"] as? String } == ["ui", "performance"])
            #expect(topic["status"] as? Int == 3)
            #expect((topic["author"] as? [String: Any])?["name"] as? String == "API")

            let noHeader = try await client.userEcho("forums/1/topics", method: .post, form: [("description", "x")])
            #expect(noHeader.status == .badRequest)
            #expect(try noHeader.userEchoError() == "header is required.")
            let otherForumsTag = try await client.userEcho("forums/1/topics", method: .post, form: [("header", "x"), ("tags", "crash")])
            #expect(otherForumsTag.status == .badRequest)
            let badType = try await client.userEcho("forums/1/topics", method: .post, form: [("header", "x"), ("type", "4")])
            #expect(badType.status == .badRequest)
            #expect(try await client.userEcho("forums/1/topics").userEchoList().count == 6)
        }
    }

    @Test func topicUpdateChangesTheNamedTopic() async throws {
        try await withUserEchoRouter(UserEchoFixture.simulator()) { client in
            let updated = try await client.userEcho(
                "forums/1/topics", method: .put, form: [("id", "4"), ("status", "5"), ("header", "Offline mode (done)")])
            let topic = try updated.userEchoObject()
            #expect(topic["status_name"] as? String == "Completed")
            #expect(topic["header"] as? String == "Offline mode (done)")
            #expect(topic["updated"] as? String != "2014-04-02T11:08:51.004Z")
            #expect(try await client.userEcho("forums/2/topics", method: .put, form: [("id", "4")]).status == .notFound)
            #expect(try await client.userEcho("forums/1/topics", method: .put, form: [("header", "?")]).status == .badRequest)
        }
    }

    @Test func commentsAreAddedToTheirTopic() async throws {
        try await withUserEchoRouter(UserEchoFixture.simulator()) { client in
            let comment = try await client.userEcho("topics/4/comments", method: .post, form: [("text", "Yes, please!")])
            let data = try comment.userEchoObject()
            #expect(data["id"] as? Int == 11)
            #expect(data["topic_id"] as? Int == 4)
            #expect(data["text"] as? String == "Yes, please!")
            #expect(data["url"] as? String == "http://forum.test/topics/4-offline-mode-for-the-mobile-app#comment-11")
            #expect(try await client.userEcho("topics/4").userEchoObject()["comment_count"] as? Int == 1)
            #expect(try await client.userEcho("topics/4/comments", method: .post, form: [("text", " ")]).status == .badRequest)
            #expect(try await client.userEcho("topics/99/comments", method: .post, form: [("text", "x")]).status == .notFound)
        }
    }

    @Test func forumsCategoriesAndTagsCanBeManaged() async throws {
        try await withUserEchoRouter(UserEchoFixture.simulator()) { client in
            let forum = try await client.userEcho("forums", method: .post, form: [("name", "Private beta"), ("is_private", "true")])
            #expect(try forum.userEchoObject()["id"] as? Int == 3)
            #expect(try forum.userEchoObject()["is_private"] as? Bool == true)

            let category = try await client.userEcho("forums/3/categories", method: .post, form: [("name", "Firmware")]).userEchoObject()
            #expect(category["id"] as? Int == 6)
            #expect(category["forum_id"] as? Int == 3)
            let renamed = try await client.userEcho("forums/3/categories", method: .put, form: [("id", "6"), ("name", "Firmware & drivers")])
            #expect(try renamed.userEchoObject()["name"] as? String == "Firmware & drivers")
            #expect(try await client.userEcho("forums/3/categories", method: .post, form: [("name", "firmware & DRIVERS")]).status == .badRequest)
            #expect(try await client.userEcho("forums/3/categories", method: .delete, query: "id=6").status == .ok)
            #expect(try await client.userEcho("forums/3/categories").userEchoList().isEmpty)

            #expect(try await client.userEcho("forums/1/tags", method: .delete, query: "id=1").status == .ok)
            #expect(try await client.userEcho("topics/1").userEchoObject()["tags"] as? [[String: Any]] != nil)
            let tags = try await client.userEcho("topics/1").userEchoObject()["tags"] as? [[String: Any]]
            #expect(tags?.map { $0["name"] as? String } == ["accessibility"])

            let emails = try await client.userEcho("forums/3/access_list", method: .post, form: [("emails", "a@x.example, b@x.example")])
            #expect(try emails.jsonObject()["data"] as? [String] == ["a@x.example", "b@x.example"])
            let left = try await client.userEcho("forums/3/access_list", method: .delete, query: "emails=a@x.example")
            #expect(try left.jsonObject()["data"] as? [String] == ["b@x.example"])
            #expect(try await client.userEcho("forums/3/access_list", method: .post, form: [("emails", "nope")]).status == .badRequest)

            #expect(try await client.userEcho("forums", method: .delete, query: "id=2").status == .ok)
            #expect(try await client.userEcho("forums").userEchoList().map { $0["id"] as? Int } == [1, 3])
            #expect(try await client.userEcho("topics/6").status == .notFound)
        }
    }

    @Test func usersCanBeFoundOrCreatedAndGrouped() async throws {
        let simulator = UserEchoFixture.simulator()
        try await withUserEchoRouter(simulator) { client in
            let existing = try await client.userEcho("users/get_or_create", method: .post, form: [("email", "LIAM@example.com")])
            #expect(try existing.userEchoObject()["id"] as? Int == 3)
            let made = try await client.userEcho("users/get_or_create", method: .post, form: [("email", "zed@example.com")])
            #expect(try made.userEchoObject()["name"] as? String == "zed")
            #expect(try await client.userEcho("users/get_or_create", method: .post, form: [("email", "zed")]).status == .badRequest)

            let groups = try await client.userEcho("users/groups").userEchoList()
            #expect(groups.map { $0["name"] as? String } == ["Staff", "Beta testers"])
            #expect(groups.map { $0["users_count"] as? Int } == [1, 1])
            let group = try await client.userEcho("users/groups", method: .post, form: [("name", "Makers")]).userEchoObject()
            #expect(group["id"] as? Int == 3)
            _ = try await client.userEcho("users/groups", method: .put, form: [("id", "1"), ("name", "Team")])
            #expect(simulator.users.first { $0.id == 2 }?.groups == ["Team"])
            #expect(try await client.userEcho("users/groups", method: .delete, query: "id=2").status == .ok)
            #expect(simulator.users.first { $0.id == 5 }?.groups == [])
        }
        #expect(simulator.users.last?.email == "zed@example.com")
    }

    @Test func uploadsAreKeptAndServed() async throws {
        try await withUserEchoRouter(UserEchoFixture.simulator()) { client in
            let boundary = "----UeBoundary7xZ"
            let body =
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"shot.png\"\r\n"
                + "Content-Type: image/png\r\n\r\nPNGDATA\r\n--\(boundary)--\r\n"
            let uri = "/api/v2/forums/1/upload/image.json?access_token=\(UserEchoFixture.apiKey)"
            let response = try await client.execute(
                uri: uri, method: .post, headers: [.contentType: "multipart/form-data; boundary=\(boundary)"],
                body: ByteBuffer(string: body))
            let file = try response.userEchoObject()
            #expect(file["name"] as? String == "shot.png")
            #expect(file["size"] as? Int == 7)
            #expect(file["is_image"] as? Bool == true)
            #expect(file["url"] as? String == "http://forum.test/files/1/shot.png")
            let served = try await client.execute(uri: "/files/1/shot.png", method: .get)
            #expect(served.text == "PNGDATA")
            #expect(served.headers[.contentType] == "image/png")

            let notImage = try await client.execute(
                uri: uri, method: .post, headers: [.contentType: "text/plain"], body: ByteBuffer(string: "hello"))
            #expect(notImage.status == .badRequest)
            let empty = try await client.execute(uri: uri, method: .post)
            #expect(empty.status == .badRequest)
        }
    }
}
