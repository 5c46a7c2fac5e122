import HTTPTypes
import HummingbirdTesting
import Testing
import ThingiverseSimulator

@Suite struct MediaTests {
    @Test func avatarURLServesAValidPNGWithoutAToken() async throws {
        try await withRouter(Fixture.simulator(), signedIn: "alice_prints") { client, token in
            let me = try await client.api(.get, "/users/me", token: token).jsonObject()
            let url = try #require(me["thumbnail"] as? String)
            let path = String(url.dropFirst("http://sim.test".count))
            let response = try await client.getOK(path)
            #expect(response.headers[.contentType] == "image/png")
            let png = try inspectPNG(response.bytes)
            #expect(png.width == 96 && png.height == 96)
            #expect(png.rawSize == (96 * 3 + 1) * 96)
        }
    }

    @Test func largeImagesSpanSeveralStoredBlocks() async throws {
        try await withRouter(Fixture.simulator()) { client in
            let response = try await client.execute(uri: "/api/_media/things/41000171_large.png", method: .get)
            let png = try inspectPNG(response.bytes)
            #expect(png.width == 480 && png.height == 360)
            #expect(png.rawSize > 65_535)
        }
    }

    @Test func differentNamesGiveDifferentImages() async throws {
        try await withRouter(Fixture.simulator()) { client in
            let one = try await client.execute(uri: "/api/_media/users/alice_prints_thumb.png", method: .get)
            let two = try await client.execute(uri: "/api/_media/users/bob_builds_thumb.png", method: .get)
            #expect(one.bytes != two.bytes)
            let notPNG = try await client.execute(uri: "/api/_media/users/alice_prints.gif", method: .get)
            #expect(notPNG.status == .notFound)
        }
    }
}
