import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import ThingiverseSimulator

@Suite struct UploadFlowTests {
    let simulator = Fixture.simulator()

    /// Asks for an upload and returns the storage action and fields.
    func startUpload(
        _ client: some TestClientProtocol, path: String, token: String, filename: String
    ) async throws -> (action: String, fields: [String: String]) {
        let response = try await client.api(.post, path, token: token, json: #"{"filename":"\#(filename)"}"#)
        #expect(response.status == .ok, "\(response.text)")
        let answer = try response.jsonObject()
        let action = try #require(answer["action"] as? String)
        let fields = try #require(answer["fields"] as? [String: String])
        return (action, fields)
    }

    /// POSTs the form to the storage action as an S3 client would (fields first, then the file).
    func upload(
        _ client: some TestClientProtocol, action: String, fields: [String: String], filename: String, bytes: [UInt8]
    ) async throws -> TestResponse {
        let ordered = fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let form = multipartUpload(fields: ordered, filename: filename, bytes: bytes)
        return try await client.execute(uri: localPath(action), method: .post, headers: form.headers, body: form.body)
    }

    @Test func uploadedFileAppearsAfterFinalizeAndDownloadsItsBytes() async throws {
        let alice = simulator.token(for: "alice_prints")
        let thingID = seededThingID(22)
        let bytes = Array("solid hook\nendsolid hook\n".utf8) + (0..<2000).map { UInt8($0 % 251) }
        try await withRouter(simulator) { client in
            let (action, fields) = try await startUpload(client, path: "/things/\(thingID)/files", token: alice, filename: "hook v2.stl")
            #expect(action == "http://sim.test/api/_uploads")
            let finalizeURL = try #require(fields["success_action_redirect"])
            #expect(fields["key"]?.hasSuffix("hook%20v2.stl") == true)
            #expect(fields["signature"] != nil && fields["policy"] != nil)

            // Not uploaded yet: finalize refuses, and the file is not listed.
            let finalizePath = String(localPath(finalizeURL).dropFirst("/api".count))
            let early = try await client.api(.post, finalizePath, token: alice)
            #expect(early.status == .badRequest)
            #expect(try early.jsonObject()["error"] as? String == "upload_missing")

            var forged = fields
            forged["signature"] = "not-the-signature"
            #expect(try await upload(client, action: action, fields: forged, filename: "x.stl", bytes: bytes).status == .forbidden)

            let stored = try await upload(client, action: action, fields: fields, filename: "hook v2.stl", bytes: bytes)
            #expect(stored.status == .seeOther)
            #expect(stored.headers[.location] == finalizeURL)

            let bob = simulator.token(for: "bob_builds")
            #expect(try await client.api(.post, finalizePath, token: bob).status == .forbidden)

            let finalized = try await client.api(.post, finalizePath, token: alice)
            #expect(finalized.status == .ok)
            let file = try finalized.jsonObject()
            let fileID = try #require(file["id"] as? Int)
            #expect(file["name"] as? String == "hook v2.stl")
            #expect(file["size"] as? Int == bytes.count)

            let files = try await client.api(.get, "/things/\(thingID)/files", token: bob).jsonArray()
            #expect(files.contains { $0["id"] as? Int == fileID })
            // A finished upload cannot be finalized twice.
            #expect(try await client.api(.post, finalizePath, token: alice).status == .notFound)

            let download = try await client.api(.get, "/files/\(fileID)/download", token: bob)
            #expect(download.status == .found)
            let location = try #require(download.headers[.location])
            let content = try await client.getOK(localPath(location))
            #expect(content.bytes == bytes)

            let downloads = try await client.api(.get, "/users/bob_builds/downloads", token: bob).jsonArray()
            #expect(downloads.first?["id"] as? Int == thingID)
            let counted = try await client.api(.get, "/files/\(fileID)", token: bob).jsonObject()
            #expect(counted["download_count"] as? Int == 1)

            #expect(try await client.api(.delete, "/things/\(thingID)/files/\(fileID)", token: bob).status == .forbidden)
            #expect(try await client.api(.delete, "/things/\(thingID)/files/\(fileID)", token: alice).status == .ok)
            #expect(try await client.api(.get, "/files/\(fileID)", token: alice).status == .notFound)
        }
    }

    @Test func seededFilesDownloadAsSTLAndPackageAsZip() async throws {
        let bob = simulator.token(for: "bob_builds")
        let thingID = seededThingID(21)
        try await withRouter(simulator) { client in
            let download = try await client.api(.get, "/files/\(thingID * 10 + 5)/download", token: bob)
            let stl = try await client.execute(uri: localPath(try #require(download.headers[.location])), method: .get)
            #expect(stl.text.hasPrefix("solid succulent_planter"))
            let file = try await client.api(.get, "/files/\(thingID * 10 + 5)", token: bob).jsonObject()
            #expect(file["size"] as? Int == stl.bytes.count)

            let package = try await client.api(.get, "/things/\(thingID)/package-url", token: bob).jsonObject()
            let zip = try await client.execute(uri: localPath(try #require(package["public_url"] as? String)), method: .get)
            #expect(zip.headers[.contentType] == "application/zip")
            #expect(Array(zip.bytes.prefix(4)) == [0x50, 0x4B, 0x03, 0x04])
            #expect(zip.text.contains("succulent_planter.stl"))
        }
    }

    @Test func copyImageUploadMakesANewCopy() async throws {
        let bob = simulator.token(for: "bob_builds")
        let thingID = seededThingID(24)
        try await withRouter(simulator) { client in
            #expect(try await client.api(.post, "/things/\(thingID)/copies", token: bob, json: #"{"filename":"notes.txt"}"#).status == .badRequest)
            let (action, fields) = try await startUpload(client, path: "/things/\(thingID)/copies", token: bob, filename: "make.png")
            #expect(fields["Content-Type"] == "image/png")
            let png = [UInt8](repeating: 7, count: 64)
            #expect(try await upload(client, action: action, fields: fields, filename: "make.png", bytes: png).status == .seeOther)
            let finalizePath = String(localPath(try #require(fields["success_action_redirect"])).dropFirst("/api".count))
            let copy = try await client.api(.post, finalizePath, token: bob).jsonObject()
            let copyID = try #require(copy["id"] as? Int)
            #expect((copy["maker"] as? [String: Any])?["name"] as? String == "bob_builds")

            let copies = try await client.api(.get, "/things/\(thingID)/copies", token: bob).jsonArray()
            #expect(copies.first?["id"] as? Int == copyID)
            let images = try await client.api(.get, "/copies/\(copyID)/images", token: bob).jsonArray()
            let sizes = try #require(images.first?["sizes"] as? [[String: Any]])
            let picture = try await client.execute(uri: localPath(try #require(sizes.first?["url"] as? String)), method: .get)
            #expect(picture.bytes == png)
        }
    }

    @Test func avatarUploadChangesTheThumbnail() async throws {
        try await withRouter(simulator, signedIn: "alice_prints") { client, alice in
            #expect(
                try await client.api(.post, "/users/bob_builds/avatar-image", token: alice, json: #"{"filename":"a.png"}"#).status
                    == .forbidden)
            let (action, fields) = try await startUpload(client, path: "/users/me/avatar-image", token: alice, filename: "alice.png")
            _ = try await upload(client, action: action, fields: fields, filename: "alice.png", bytes: [1, 2, 3])
            let finalizePath = String(localPath(try #require(fields["success_action_redirect"])).dropFirst("/api".count))
            #expect(try await client.api(.post, finalizePath, token: alice).status == .ok)
            let me = try await client.api(.get, "/users/me", token: alice).jsonObject()
            let thumbnail = try #require(me["thumbnail"] as? String)
            #expect(thumbnail.contains("/_storage/uploads/"))
            #expect(try await client.execute(uri: localPath(thumbnail), method: .get).bytes == [1, 2, 3])
        }
    }
}
