import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import ThingiverseSimulator

@Suite struct FlattrReadTests {
    @Test func currentUserIsTheTokensAccountWithEmail() async throws {
        let simulator = FlattrFixture.simulator()
        try await withRouter(simulator) { client in
            let token = try await FlattrSteps.token(client)
            let response = try await client.getOK("/api/user", headers: bearer(token))
            #expect(response.headers[.contentType] == "application/json;charset=utf-8")
            let user = try response.jsonObject()
            #expect(user["type"] as? String == "user")
            #expect(user["username"] as? String == "alice_flattrs")
            #expect(user["resource"] as? String == "http://flattr.test/api/users/alice_flattrs")
            #expect(user["link"] as? String == "http://flattr.test/profile/alice_flattrs")
            #expect(user["firstname"] as? String == "Alice")
            #expect(user["lastname"] as? String == "Andersson")
            #expect(user["avatar"] as? String == "http://flattr.test/profile/alice_flattrs/avatar.png")
            #expect(user["email"] as? String == "alice@example.com")
            // The trailing slash is optional.
            #expect(try await client.api(.get, "/user/", token: token).status == .ok)
        }
    }

    @Test func currentUserNeedsAToken() async throws {
        try await withRouter(FlattrFixture.simulator()) { client in
            let missing = try await client.execute(uri: "/api/user", method: .get)
            let body = try expectFlattrAPIError(missing, .unauthorized, "unauthorized")
            #expect((body["error_description"] as? String)?.isEmpty == false)
            let unknown = try await client.execute(uri: "/api/user", method: .get, headers: bearer("nope"))
            try expectFlattrAPIError(unknown, .unauthorized, "unauthorized")
            // Even a public read refuses a token it does not know.
            let publicRead = try await client.execute(uri: "/api/things/423405", method: .get, headers: bearer("nope"))
            #expect(publicRead.status == .unauthorized)
        }
    }

    @Test func otherUsersAreReadableWithoutTokenAndWithoutEmail() async throws {
        try await withRouter(FlattrFixture.simulator()) { client in
            let response = try await client.getOK("/api/users/smgt")
            let user = try response.jsonObject()
            #expect(user["username"] as? String == "smgt")
            #expect(user["email"] == nil)
            let missing = try await client.execute(uri: "/api/users/nobody", method: .get)
            try expectFlattrAPIError(missing, .notFound, "not_found", description: "The requested user could not be found")
        }
    }

    @Test func hiddenThingsAreListedOnlyForTheirOwner() async throws {
        let simulator = FlattrFixture.simulator()
        let alice = simulator.token(for: "alice_flattrs")
        try await withRouter(simulator, signedIn: "bob_supports") { client, bob in
            let asBob = try await client.api(.get, "/users/alice_flattrs/things", token: bob)
            #expect(try asBob.jsonArray().map { $0["id"] as? Int } == [447_981, 441_203])
            let own = try await client.api(.get, "/user/things", token: alice)
            #expect(try own.jsonArray().map { $0["id"] as? Int } == [452_310, 447_981, 441_203])
            let paged = try await client.api(.get, "/user/things?count=1&page=2", token: alice)
            #expect(try paged.jsonArray().map { $0["id"] as? Int } == [447_981])
            #expect(try await client.execute(uri: "/api/user/things", method: .get).status == .unauthorized)
        }
    }

    @Test func thingHasTheReferenceShapeWithConfiguredURLs() async throws {
        try await withRouter(FlattrFixture.simulator()) { client in
            let response = try await client.getOK("/api/things/423405")
            #expect(response.headers[.contentType] == "application/json;charset=utf-8")
            let keys = try #require(response.text.firstMatch(of: /^\{"type":"thing","resource":/))
            #expect(!keys.output.isEmpty)
            let thing = try response.jsonObject()
            #expect(
                Set(thing.keys) == [
                    "type", "resource", "link", "id", "url", "language", "category", "owner", "hidden", "image",
                    "created_at", "tags", "flattrs", "description", "title", "last_flattr_at", "updated_at",
                ])
            #expect(thing["resource"] as? String == "http://flattr.test/api/things/423405")
            #expect(thing["link"] as? String == "http://flattr.test/thing/423405")
            #expect(thing["id"] as? Int == 423_405)
            #expect(thing["url"] as? String == "http://blog.flattr.net/2011/10/api-v2-beta-out-whats-changed/")
            #expect(thing["language"] as? String == "en_GB")
            #expect(thing["category"] as? String == "text")
            #expect(thing["hidden"] as? Bool == false)
            #expect(thing["image"] as? String == "http://flattr.test/thing/image/4/2/3/4/0/5/medium.png")
            #expect(thing["created_at"] as? Int == 1_319_704_532)
            #expect(thing["tags"] as? [String] == ["api"])
            #expect(thing["flattrs"] as? Int == 8)
            #expect(thing["title"] as? String == "API v2 beta out - what's changed?")
            #expect(thing["last_flattr_at"] as? Int == 1_320_262_599)
            #expect(thing["updated_at"] as? Int == 0)
            let owner = try #require(thing["owner"] as? [String: Any])
            #expect(owner["type"] as? String == "user")
            #expect(owner["resource"] as? String == "http://flattr.test/api/users/flattr")
            #expect(owner["link"] as? String == "http://flattr.test/profile/flattr")
            #expect(owner["username"] as? String == "flattr")
        }
    }

    @Test func flattredAppearsWhenATokenIsSent() async throws {
        let simulator = FlattrFixture.simulator()
        let alice = simulator.token(for: "alice_flattrs")
        try await withRouter(simulator, signedIn: "smgt") { client, smgt in
            let byAlice = try await client.api(.get, "/things/423405", token: alice)
            #expect(try byAlice.jsonObject()["flattred"] as? Bool == true)
            let bySmgt = try await client.api(.get, "/things/423405", token: smgt)
            #expect(try bySmgt.jsonObject()["flattred"] as? Bool == false)
        }
    }

    @Test func commaSeparatedIdsAnswerAnArrayOfTheThingsFound() async throws {
        try await withRouter(FlattrFixture.simulator()) { client in
            let response = try await client.getOK("/api/things/450287,999999,423405")
            let things = try response.jsonArray()
            #expect(things.map { $0["id"] as? Int } == [450_287, 423_405])
            #expect(things[0]["image"] as? String == "")
            #expect(things[0]["last_flattr_at"] == nil)
            let none = try await client.execute(uri: "/api/things/1,2", method: .get)
            try expectFlattrAPIError(none, .notFound, "not_found")
            let single = try await client.execute(uri: "/api/things/1", method: .get)
            #expect(single.status == .notFound)
            #expect(try single.jsonObject()["error_description"] as? String == "the thing can not be found")
        }
    }

    @Test func lookupRedirectsToTheThingsAPIResource() async throws {
        try await withRouter(FlattrFixture.simulator()) { client in
            for path in ["/api/things/lookup", "/api/things/lookup/"] {
                let response = try await client.execute(
                    uri: "\(path)?url=http%3A%2F%2Fblog.flattr.net%2F2011%2F10%2Fapi-v2-beta-out-whats-changed%2F",
                    method: .get)
                #expect(response.status == .found)
                #expect(response.headers[.location] == "http://flattr.test/api/things/423405")
                #expect(response.headers[.contentType] == "application/json;charset=utf-8")
                let body = try response.jsonObject()
                #expect(body["message"] as? String == "found")
                #expect(body["location"] as? String == "http://flattr.test/api/things/423405")
                #expect(response.header("X-RateLimit-Limit") == "5000")
            }
        }
    }

    @Test func lookupUnderstandsAutoSubmitURLs() async throws {
        try await withRouter(FlattrFixture.simulator()) { client in
            let inner = "http://flattr.com/submit/auto?url=https%3A%2F%2Fgithub.com%2Fsimon%2Fflattr&user_id=smgt"
            let query = String(buffer: formRequest([("url", inner)]).body)
            let response = try await client.execute(uri: "/api/things/lookup/?\(query)", method: .get)
            #expect(response.status == .found)
            #expect(response.headers[.location] == "http://flattr.test/api/things/450287")
        }
    }

    @Test func lookupOfAnUnknownURLIs404() async throws {
        try await withRouter(FlattrFixture.simulator()) { client in
            let response = try await client.execute(
                uri: "/api/things/lookup?url=https%3A%2F%2Fnowhere.example%2F", method: .get)
            #expect(response.status == .notFound)
            #expect(response.headers[.location] == nil)
            let body = try response.jsonObject()
            #expect(body["message"] as? String == "not_found")
            #expect(body["description"] as? String == "No thing was found")
        }
    }

    @Test func searchFiltersByQueryCategoryAndTags() async throws {
        try await withRouter(FlattrFixture.simulator()) { client in
            let response = try await client.execute(
                uri: "/api/things/search?query=flattr&category=software&tags=ruby", method: .get)
            #expect(response.status == .ok)
            let body = try response.jsonObject()
            let things = try #require(body["things"] as? [[String: Any]])
            #expect(things.map { $0["id"] as? Int } == [461_007, 450_287])
            #expect(body["total_items"] as? Int == 2)
            #expect(body["items"] as? Int == 2)
            #expect(body["page"] as? Int == 1)
        }
    }

    @Test func searchUnderstandsTheTagSyntaxAndLeavesHiddenThingsOut() async throws {
        try await withRouter(FlattrFixture.simulator()) { client in
            func ids(_ query: String) async throws -> [Int] {
                let response = try await client.execute(uri: "/api/things/search?\(query)", method: .get)
                let things = try #require(try response.jsonObject()["things"] as? [[String: Any]])
                return things.compactMap { $0["id"] as? Int }
            }
            let everything = try await ids("")
            #expect(everything.count == 10)
            #expect(try await ids("tags=game+%7C+games+%21+software") == [466_212])
            #expect(try await ids("tags=game+%7C+games+%21+javascript").isEmpty)
            #expect(try await ids("tags=podcast+%7C+piano") == [458_842, 447_981])
            #expect(try await ids("tags=ruby+%26+cli") == [461_007])
            #expect(try await ids("tags=opensource+%21cli") == [458_842, 450_287])
            #expect(try await ids("query=lisbon").isEmpty)
            #expect(try await ids("user=bob_supports&category=audio,video") == [458_842, 455_120])
        }
    }

    @Test func searchPages() async throws {
        try await withRouter(FlattrFixture.simulator()) { client in
            let response = try await client.execute(uri: "/api/things/search?count=3&page=2&sort=flattrs", method: .get)
            let body = try response.jsonObject()
            #expect(body["total_items"] as? Int == 10)
            #expect(body["items"] as? Int == 3)
            #expect(body["page"] as? Int == 2)
            let things = try #require(body["things"] as? [[String: Any]])
            #expect(things.map { $0["flattrs"] as? Int } == [23, 12, 9])
            let bad = try await client.execute(uri: "/api/things/search?count=zero", method: .get)
            try expectFlattrAPIError(bad, .badRequest, "validation")
        }
    }

    @Test func unknownPathsAreJSON404s() async throws {
        try await withRouter(FlattrFixture.simulator()) { client in
            let response = try await client.execute(uri: "/api/flattrs/everything", method: .get)
            try expectFlattrAPIError(response, .notFound, "not_found")
        }
    }
}
