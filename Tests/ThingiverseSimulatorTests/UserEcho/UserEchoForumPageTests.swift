import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import ThingiverseSimulator

@Suite struct UserEchoForumPageTests {
    @Test func forumListShowsForumsAndNotSignedIn() async throws {
        try await withUserEchoRouter(UserEchoFixture.simulator()) { client in
            let page = try await client.getOK("/")
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.text.contains("Not signed in"))
            #expect(!page.text.contains("signed-in-as"))
            #expect(page.text.contains("Ideas &amp; feedback"))
            #expect(page.text.contains("href=\"/forums/2-bug-reports\""))
        }
    }

    @Test func ssoTokenSignsInAndRedirectsWithoutIt() async throws {
        let simulator = UserEchoFixture.simulator()
        let token = UserEchoFixture.percentEncoded(
            try UserEchoFixture.ssoToken(guid: "thingiverse:31337", displayName: "Eve <Evil> & \"Co\""))
        try await withUserEchoRouter(simulator, prefix: "/sim/userecho") { client in
            let redirect = try await client.execute(uri: "/sim/userecho/topics/2?sso_token=\(token)&ref=mail", method: .get)
            #expect(redirect.status == .found)
            #expect(redirect.headers[.location] == "/sim/userecho/topics/2?ref=mail")
            let setCookie = try #require(redirect.headers[.setCookie])
            #expect(setCookie.hasPrefix("ue_session="))
            #expect(setCookie.contains("Path=/sim/userecho"))
            #expect(setCookie.contains("HttpOnly"))
            let session = String(setCookie.prefix { $0 != ";" })

            let page = try await client.getOK("/sim/userecho/topics/2?ref=mail", headers: [.cookie: session])
            #expect(page.text.contains("<strong id=\"signed-in-as\">Eve &lt;Evil&gt; &amp; &quot;Co&quot;</strong>"))
            #expect(!page.text.contains("Not signed in"))
            // Every page knows the session; without the cookie nobody is signed in.
            let home = try await client.execute(uri: "/sim/userecho/", method: .get, headers: [.cookie: session])
            #expect(home.text.contains("id=\"signed-in-as\""))
            let anonymous = try await client.execute(uri: "/sim/userecho/topics/2", method: .get)
            #expect(anonymous.text.contains("Not signed in"))
        }
        #expect(simulator.users.contains { $0.guid == "thingiverse:31337" && $0.name == "Eve <Evil> & \"Co\"" })
    }

    @Test func refusedTokenShowsANoticeAndSignsNobodyIn() async throws {
        let expired = UserEchoFixture.percentEncoded(try UserEchoFixture.ssoToken(expires: 1_000))
        try await withUserEchoRouter(UserEchoFixture.simulator()) { client in
            let page = try await client.getOK("/forums/1?sso_token=\(expired)")
            #expect(page.headers[.setCookie] == nil)
            #expect(page.text.contains("id=\"notice\""))
            #expect(page.text.contains("Not signed in"))
        }
    }

    @Test func forumAndTopicPagesShowEscapedContent() async throws {
        try await withUserEchoRouter(UserEchoFixture.simulator()) { client in
            let forum = try await client.getOK("/forums/1-ideas-feedback")
            #expect(forum.text.contains("Export print settings as a &quot;profile&quot; &amp; share them"))
            #expect(forum.text.contains("Dark mode for the thing editor"))
            #expect(!forum.text.contains("Upload stalls"))

            let topic = try await client.getOK("/topics/2")
            #expect(topic.text.contains("I tune &lt;layer height&gt; and infill"))
            #expect(topic.text.contains("sharing &lt;Prusa&gt; &amp; Ultimaker"))
            #expect(topic.text.contains("2 comments"))
            #expect(!topic.text.contains("<Prusa>"))

            #expect(try await client.execute(uri: "/topics/999", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/forums/abc", method: .get).status == .notFound)
        }
    }

    @Test func logoutThroughTheAPIEndsThePersonsSessions() async throws {
        let simulator = UserEchoFixture.simulator()
        let token = UserEchoFixture.percentEncoded(try UserEchoFixture.ssoToken(guid: "thingiverse:244", displayName: "Alice"))
        try await withUserEchoRouter(simulator) { client in
            let redirect = try await client.execute(uri: "/?sso_token=\(token)", method: .get)
            #expect(redirect.headers[.location] == "/")
            let session = String(try #require(redirect.headers[.setCookie]).prefix { $0 != ";" })
            #expect(try await client.execute(uri: "/", method: .get, headers: [.cookie: session]).text.contains("signed-in-as"))

            let logout = try await client.userEcho("users/4/logout")
            #expect(logout.status == .ok)
            #expect(try logout.userEchoObject()["id"] as? Int == 4)
            let after = try await client.execute(uri: "/", method: .get, headers: [.cookie: session])
            #expect(after.text.contains("Not signed in"))
            #expect(try await client.userEcho("users/99/logout").status == .notFound)
        }
        #expect(simulator.loggedOutUserIDs == [4])
    }

    @Test func avatarsAreGeneratedPictures() async throws {
        try await withUserEchoRouter(UserEchoFixture.simulator()) { client in
            let avatar = try await client.getOK("/avatars/3.png")
            #expect(avatar.headers[.contentType] == "image/png")
            #expect(Array(avatar.bytes.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
        }
    }
}
