import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import ThingiverseSimulator
import _CryptoExtras

@Suite struct UserEchoSSOTests {
    @Test func tokenMadeWithAESCBCDecodesToItsProfile() throws {
        let simulator = UserEchoFixture.simulator()
        let expires = Int(Date().timeIntervalSince1970) + 600
        let token = try UserEchoFixture.ssoToken(
            guid: "flattr:alice_flattrs", displayName: "Alice F", email: "af@example.com", expires: expires,
            extra: ["avatar_url": "https://img.example/a.png", "locale": "sv", "verified_email": true, "groups": ["VIP"]])
        let profile = try simulator.decodeSSOToken(token)
        #expect(
            profile
                == UserEchoSSOProfile(
                    guid: "flattr:alice_flattrs", expires: expires, displayName: "Alice F", email: "af@example.com",
                    avatarURL: "https://img.example/a.png", locale: "sv", verifiedEmail: true, groups: ["VIP"]))
        // Still URL-encoded, or with its "+" turned into spaces by a form decoder: the same profile.
        #expect(try simulator.decodeSSOToken(UserEchoFixture.percentEncoded(token)) == profile)
        #expect(try simulator.decodeSSOToken(token.replacingOccurrences(of: "+", with: " ")) == profile)
    }

    @Test func decodingIsTheReverseOfAESCBCEncryption() throws {
        // The scheme by hand: IV || AES-256-CBC(PKCS#7) under the key's UTF-8 bytes, base64.
        let key = SymmetricKey(data: Array(UserEchoFixture.ssoKey.utf8))
        let plaintext = Data(#"{"guid":"g-1","expires":4102444800,"display_name":"Zoë <Z> & Co"}"#.utf8)
        let iv = AES._CBC.IV()
        let ciphertext = try AES._CBC.encrypt(plaintext, using: key, iv: iv)
        #expect(ciphertext.count % 16 == 0 && ciphertext.count > plaintext.count)
        #expect(try AES._CBC.decrypt(ciphertext, using: key, iv: iv) == plaintext)
        let token = (Data(Array(iv)) + ciphertext).base64EncodedString()
        let profile = try UserEchoFixture.simulator().decodeSSOToken(token)
        #expect(profile.guid == "g-1")
        #expect(profile.expires == 4_102_444_800)
        #expect(profile.displayName == "Zoë <Z> & Co")
        #expect(profile.email == nil)
    }

    @Test func aTokenStartingWithPlusSurvivesAFormDecoderTurningItIntoASpace() throws {
        // An IV whose first six bits are 111110 makes the base64 start with "+".
        let key = SymmetricKey(data: Array(UserEchoFixture.ssoKey.utf8))
        let plaintext = Data(#"{"guid":"g-2","expires":4102444800,"display_name":"Plus"}"#.utf8)
        let ivBytes: [UInt8] = [0xF8] + Array(repeating: 0x11, count: 15)
        let ciphertext = try AES._CBC.encrypt(plaintext, using: key, iv: AES._CBC.IV(ivBytes: ivBytes))
        let token = (Data(ivBytes) + ciphertext).base64EncodedString()
        #expect(token.hasPrefix("+"))
        let formDecoded = token.replacingOccurrences(of: "+", with: " ")
        #expect(try UserEchoFixture.simulator().decodeSSOToken(formDecoded).guid == "g-2")
    }

    @Test func badTokensAreRefusedWithTheirReason() throws {
        let simulator = UserEchoFixture.simulator()
        let expired = try UserEchoFixture.ssoToken(expires: Int(Date().timeIntervalSince1970) - 5)
        #expect {
            try simulator.decodeSSOToken(expired)
        } throws: { error in
            if case .expired? = error as? UserEchoSSOError { return true }
            return false
        }
        #expect(throws: UserEchoSSOError.notBase64) { try simulator.decodeSSOToken("not a token!") }
        let otherKey = try UserEchoFixture.ssoToken(key: "ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ")
        #expect(throws: (any Error).self) { try simulator.decodeSSOToken(otherKey) }
        let noName = try UserEchoFixture.ssoToken(displayName: "")
        #expect(throws: UserEchoSSOError.missingField("display_name")) { try simulator.decodeSSOToken(noName) }
    }

    @Test func topicCreatedWithATokenBelongsToItsNewUser() async throws {
        let simulator = UserEchoFixture.simulator()
        let token = try UserEchoFixture.ssoToken(
            guid: "thingiverse:9001", displayName: "Dana Sso", email: "dana@example.com",
            extra: ["avatar_url": "https://img.example/dana.png"])
        try await withUserEchoRouter(simulator) { client in
            let response = try await client.userEcho(
                "forums/1/topics", method: .post,
                form: [("header", "Make <tags> clickable"), ("description", "Please."), ("sso_token", token)])
            #expect(response.status == .ok)
            let topic = try response.userEchoObject()
            let author = try #require(topic["author"] as? [String: Any])
            #expect(author["name"] as? String == "Dana Sso")
            #expect(author["avatar_url"] as? String == "https://img.example/dana.png")
            #expect(topic["header"] as? String == "Make <tags> clickable")
            #expect(topic["status"] as? Int == 1)
            #expect(topic["vote_diff"] as? Int == 0)
            let created = try #require(topic["created"] as? String)
            #expect(created.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil)

            let user = try #require(simulator.users.first { $0.guid == "thingiverse:9001" })
            #expect(author["id"] as? Int == user.id)
            #expect(user.id == 6)
            #expect(user.name == "Dana Sso")
            #expect(user.email == "dana@example.com")
            #expect(user.isAdmin == false)
            let mine = try await client.userEcho("users/\(user.id)/topics", query: "sso_token=\(UserEchoFixture.percentEncoded(token))")
            #expect(userEchoIDs(try mine.userEchoList()) == [topic["id"] as? Int ?? -1])
        }
    }

    @Test func tokenWorksInAJSONBodyAndInThePOSTQuery() async throws {
        let simulator = UserEchoFixture.simulator()
        let token = try UserEchoFixture.ssoToken(guid: "flattr:bob", displayName: "Bob Json")
        try await withUserEchoRouter(simulator) { client in
            let inJSON = try await client.userEcho(
                "topics/2/comments", method: .post, json: #"{"text":"Agreed!","sso_token":"\#(token)"}"#)
            #expect(try (inJSON.userEchoObject()["author"] as? [String: Any])?["name"] as? String == "Bob Json")
            let inQuery = try await client.userEcho(
                "topics/2/comments", method: .post, query: "sso_token=\(UserEchoFixture.percentEncoded(token))",
                form: [("text", "Still agreed.")])
            #expect(try (inQuery.userEchoObject()["author"] as? [String: Any])?["name"] as? String == "Bob Json")
        }
        // One user for the guid, however often it comes.
        #expect(simulator.users.filter { $0.guid == "flattr:bob" }.count == 1)
    }

    @Test func knownGuidUpdatesThePerson() async throws {
        let simulator = UserEchoFixture.simulator()
        let token = try UserEchoFixture.ssoToken(
            guid: "thingiverse:244", displayName: "Alice P. (renamed)", email: "alice@new.example")
        try await withUserEchoRouter(simulator) { client in
            let current = try await client.userEcho("users/current", query: "sso_token=\(UserEchoFixture.percentEncoded(token))")
            let user = try current.userEchoObject()
            #expect(user["id"] as? Int == 4)
            #expect(user["name"] as? String == "Alice P. (renamed)")
            #expect(user["email"] as? String == "alice@new.example")
        }
        #expect(simulator.users.count == 5)
        #expect(simulator.users.first { $0.id == 4 }?.name == "Alice P. (renamed)")
    }

    @Test func currentUserWithoutATokenIsTheAPIUser() async throws {
        try await withUserEchoRouter(UserEchoFixture.simulator()) { client in
            let user = try await client.userEcho("users/current").userEchoObject()
            #expect(user["id"] as? Int == 1)
            #expect(user["name"] as? String == "API")
            #expect(user["is_admin"] as? Bool == true)
        }
    }

    @Test func expiredGarbledOrEmptyTokensAre401() async throws {
        let simulator = UserEchoFixture.simulator()
        let expired = try UserEchoFixture.ssoToken(expires: Int(Date().timeIntervalSince1970) - 60)
        let otherKey = try UserEchoFixture.ssoToken(key: "ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ")
        try await withUserEchoRouter(simulator) { client in
            for token in [expired, otherKey, "garbled%%token", ""] {
                let read = try await client.userEcho("users/current", query: "sso_token=\(UserEchoFixture.percentEncoded(token))")
                #expect(read.status == .unauthorized)
                #expect(try read.userEchoError() == "Invalid sso_token")
                let write = try await client.userEcho(
                    "forums/1/topics", method: .post, form: [("header", "Sneaky"), ("sso_token", token)])
                #expect(write.status == .unauthorized)
                #expect(try write.userEchoError() == "Invalid sso_token")
            }
            #expect(try await client.userEcho("forums/1/topics").userEchoList().count == 5)
        }
        #expect(simulator.users.count == 5)
    }

    @Test func userSSOGuidAndUserIDChooseWhoActs() async throws {
        try await withUserEchoRouter(UserEchoFixture.simulator()) { client in
            func current(_ query: String) async throws -> String? {
                try await client.userEcho("users/current", query: query).userEchoObject()["name"] as? String
            }
            #expect(try await current("user_sso_guid=thingiverse%3A244") == "Alice Prints")
            #expect(try await current("user_sso_guid=unknown") == "API")
            #expect(try await current("user_id=3") == "Liam Maker")
            #expect(try await current("user_id=0") == "Anonymous")
            #expect(try await current("user_id=404") == "API")
            let topic = try await client.userEcho("forums/2/topics", method: .post, form: [("header", "Anon bug"), ("user_id", "0")])
            #expect(try (topic.userEchoObject()["author"] as? [String: Any])?["id"] as? Int == 0)
        }
    }

    @Test func peopleMayOnlyDoWhatTheirRightsAllow() async throws {
        let simulator = UserEchoFixture.simulator()
        let dana = UserEchoFixture.percentEncoded(try UserEchoFixture.ssoToken())
        try await withUserEchoRouter(simulator) { client in
            // Not an admin: no hooks, no logout, no other people's topic lists, no other people's topics.
            #expect(try await client.userEcho("hooks", query: "sso_token=\(dana)").status == .forbidden)
            #expect(try await client.userEcho("users/3/logout", query: "sso_token=\(dana)").status == .forbidden)
            #expect(try await client.userEcho("users/3/topics", query: "sso_token=\(dana)").status == .forbidden)
            let other = try await client.userEcho("topics/1", method: .delete, query: "sso_token=\(dana)")
            #expect(other.status == .forbidden)
            #expect(try other.userEchoError().contains("author"))
            // Their own topic they may change and delete.
            let created = try await client.userEcho(
                "forums/1/topics", method: .post, query: "sso_token=\(dana)", form: [("header", "Mine")]
            ).userEchoObject()
            let id = try #require(created["id"] as? Int)
            let status = try await client.userEcho(
                "forums/1/topics", method: .put, query: "sso_token=\(dana)", form: [("id", "\(id)"), ("status", "5")])
            #expect(status.status == .forbidden)
            let renamed = try await client.userEcho(
                "forums/1/topics", method: .put, query: "sso_token=\(dana)", form: [("id", "\(id)"), ("header", "Mine, renamed")])
            #expect(try renamed.userEchoObject()["header"] as? String == "Mine, renamed")
            let deleted = try await client.userEcho("topics/\(id)", method: .delete, query: "sso_token=\(dana)")
            #expect(try deleted.userEchoObject()["id"] as? Int == id)
            #expect(try await client.userEcho("topics/\(id)").status == .notFound)
            // Admins (seeded ones too) may.
            #expect(try await client.userEcho("hooks", query: "user_id=2").status == .ok)
        }
    }
}
