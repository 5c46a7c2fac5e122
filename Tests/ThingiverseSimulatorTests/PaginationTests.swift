import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import ThingiverseSimulator

@Suite struct PaginationTests {
    let simulator = Fixture.simulator()

    @Test func defaultPagesOf30WithNextAndLastThenFirstAndPrev() async throws {
        try await withRouter(simulator, signedIn: "alice_prints") { client, token in
            let first = try await client.api(.get, "/newest", token: token)
            #expect(try first.jsonArray().count == 30)
            #expect(
                first.header("Link")
                    == "<http://sim.test/api/newest?page=2&per_page=30>; rel=\"next\", "
                    + "<http://sim.test/api/newest?page=2&per_page=30>; rel=\"last\"")

            let second = try await client.api(.get, "/newest/?page=2", token: token)
            let items = try second.jsonArray()
            #expect(items.count == 14)
            let rels = links(second.header("Link"))
            #expect(Set(rels.keys) == ["first", "prev"])
            #expect(rels["prev"] == "http://sim.test/api/newest?page=1&per_page=30")

            // The two pages together are all published things, each once.
            let ids = try first.jsonArray().compactMap { $0["id"] as? Int } + items.compactMap { $0["id"] as? Int }
            #expect(Set(ids).count == 44)
        }
    }

    @Test func linksKeepOtherParametersButNeverTheToken() async throws {
        try await withRouter(simulator, signedIn: "alice_prints") { client, token in
            let response = try await client.execute(
                uri: "/api/newest?access_token=\(token)&per_page=10&page=2&foo=bar%20baz", method: .get)
            #expect(response.status == .ok)
            #expect(try response.jsonArray().count == 10)
            let rels = links(response.header("Link"))
            #expect(rels["next"] == "http://sim.test/api/newest?page=3&per_page=10&foo=bar%20baz")
            #expect(rels["last"] == "http://sim.test/api/newest?page=5&per_page=10&foo=bar%20baz")
            #expect(rels["first"] == "http://sim.test/api/newest?page=1&per_page=10&foo=bar%20baz")
            #expect(rels["prev"] == "http://sim.test/api/newest?page=1&per_page=10&foo=bar%20baz")
            #expect(!(response.header("Link") ?? "").contains("access_token"))
        }
    }

    @Test func walkingNextLinksVisitsEveryItemOnce() async throws {
        try await withRouter(simulator, signedIn: "alice_prints") { client, token in
            var uri: String? = "/api/users/alice_prints/things?per_page=4"
            var seen: [Int] = []
            var pages = 0
            while let next = uri {
                let response = try await client.execute(uri: next, method: .get, headers: bearer(token))
                seen += try response.jsonArray().compactMap { $0["id"] as? Int }
                pages += 1
                uri = links(response.header("Link"))["next"].map { String($0.dropFirst("http://sim.test".count)) }
            }
            #expect(pages == 4)
            #expect(seen.count == 15 && Set(seen).count == 15)
        }
    }

    @Test func perPageIsCappedAt100AndBadPagesAre400() async throws {
        try await withRouter(simulator, signedIn: "alice_prints") { client, token in
            let all = try await client.api(.get, "/newest?per_page=500", token: token)
            #expect(try all.jsonArray().count == 44)
            #expect(all.header("Link") == nil)
            let bad = try await client.api(.get, "/newest?page=0", token: token)
            #expect(bad.status == .badRequest)
            let beyond = try await client.api(.get, "/newest?page=9", token: token)
            #expect(try beyond.jsonArray().isEmpty)
            #expect(links(beyond.header("Link"))["prev"] == "http://sim.test/api/newest?page=2&per_page=30")
        }
    }
}
