import AsyncHTTPClient
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import ThingiverseSimulator

@Suite struct UserEchoHookTests {
    @Test func hooksAreRegisteredListedAndDeleted() async throws {
        let simulator = UserEchoFixture.simulator()
        try await withUserEchoRouter(simulator) { client in
            let created = try await client.userEcho(
                "hooks", method: .post, json: #"{"event":"topic.created","target_url":"https://app.example/webhooks/userecho/s1"}"#)
            let hook = try created.userEchoObject()
            #expect(hook["id"] as? Int == 1)
            #expect(hook["event"] as? String == "topic.created")
            #expect(hook["target_url"] as? String == "https://app.example/webhooks/userecho/s1")
            let second = try await client.userEcho(
                "hooks", method: .post, form: [("event", "comment.created"), ("target_url", "https://app.example/h")])
            #expect(try second.userEchoObject()["id"] as? Int == 2)

            let listed = try await client.userEcho("hooks").userEchoList()
            #expect(listed.map { $0["event"] as? String } == ["topic.created", "comment.created"])
            #expect(simulator.hooks.map(\.targetURL) == ["https://app.example/webhooks/userecho/s1", "https://app.example/h"])

            let deleted = try await client.userEcho("hooks/1", method: .delete)
            #expect(try deleted.userEchoObject()["id"] as? Int == 1)
            #expect(simulator.hooks.map(\.id) == [2])
            #expect(try await client.userEcho("hooks/1", method: .delete).status == .notFound)
        }
    }

    @Test func eventsAreTheEightOfUserEcho() async throws {
        try await withUserEchoRouter(UserEchoFixture.simulator()) { client in
            let reply = try await client.userEcho("hooks/events").jsonObject()
            #expect(
                reply["data"] as? [String] == [
                    "topic.created", "topic.accepted", "topic.deleted", "topic.satisfaction_changed",
                    "topic.satisfaction_received", "comment.created", "comment.accepted", "comment.deleted",
                ])
        }
    }

    @Test func badEventsAndTargetsAre400() async throws {
        let simulator = UserEchoFixture.simulator()
        try await withUserEchoRouter(simulator) { client in
            let event = try await client.userEcho("hooks", method: .post, form: [("event", "topic.exploded"), ("target_url", "https://a.example")])
            #expect(event.status == .badRequest)
            #expect(try event.userEchoError().contains("topic.exploded"))
            let target = try await client.userEcho("hooks", method: .post, form: [("event", "topic.created"), ("target_url", "ftp://a.example")])
            #expect(target.status == .badRequest)
            #expect(try await client.userEcho("hooks", method: .post, form: [("event", "topic.created")]).status == .badRequest)
        }
        #expect(simulator.hooks.isEmpty)
    }

    @Test func sentHookIsSignedOverItsRawBody() async throws {
        let simulator = UserEchoFixture.simulator(webhookKey: UserEchoFixture.webhookKey)
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { _ = httpClient.shutdown() }
        try await UserEchoHookReceiver.run { url, receiver in
            let status = try await simulator.sendHook("topic.created", dataID: 7, to: url, using: httpClient)
            #expect(status == 200)
            let delivery = try #require(await receiver.deliveries.first)
            #expect(delivery.contentType == "application/json")
            #expect(delivery.signature == UserEchoFixture.signature(delivery.body))
            #expect(delivery.signature?.count == 40)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(delivery.body)) as? [String: Any])
            #expect(json["hook"] as? String == "topic.created")
            let created = try #require(json["created"] as? String)
            #expect(created.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil)
            let data = try #require(json["data"] as? [String: Any])
            #expect(data["id"] as? Int == 7)
            #expect(data["header"] as? String == "Thing page crashes on Safari 7")

            _ = try await simulator.sendHook("comment.created", dataID: 3, to: url, using: httpClient)
            let comment = try #require(await receiver.deliveries.last)
            #expect(comment.signature == UserEchoFixture.signature(comment.body))
            let commentJSON = try #require(try JSONSerialization.jsonObject(with: Data(comment.body)) as? [String: Any])
            #expect((commentJSON["data"] as? [String: Any])?["topic_id"] as? Int == 1)
        }
    }

    @Test func hookIsUnsignedWithoutAWebhookKey() async throws {
        let simulator = UserEchoFixture.simulator()
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { _ = httpClient.shutdown() }
        try await UserEchoHookReceiver.run { url, receiver in
            #expect(try await simulator.sendHook("topic.accepted", dataID: 1, to: url, using: httpClient) == 200)
            let delivery = try #require(await receiver.deliveries.first)
            #expect(delivery.signature == nil)
        }
    }

    @Test func unknownEventsAndObjectsAreNotSent() async throws {
        let simulator = UserEchoFixture.simulator()
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { _ = httpClient.shutdown() }
        await #expect(throws: UserEchoHookError.unknownEvent("topic.exploded")) {
            try await simulator.sendHook("topic.exploded", dataID: 1, to: "http://127.0.0.1:9/", using: httpClient)
        }
        await #expect(throws: UserEchoHookError.unknownTopic(99)) {
            try await simulator.sendHook("topic.created", dataID: 99, to: "http://127.0.0.1:9/", using: httpClient)
        }
        await #expect(throws: UserEchoHookError.unknownComment(99)) {
            try await simulator.sendHook("comment.deleted", dataID: 99, to: "http://127.0.0.1:9/", using: httpClient)
        }
    }

    @Test func creatingThroughTheAPISendsTheRegisteredHooks() async throws {
        let simulator = UserEchoFixture.simulator(webhookKey: UserEchoFixture.webhookKey)
        let token = try UserEchoFixture.ssoToken(displayName: "Hook Person")
        try await UserEchoHookReceiver.run { url, receiver in
            try await withUserEchoRouter(simulator) { client in
                for event in ["topic.created", "comment.created", "topic.deleted"] {
                    let hook = try await client.userEcho("hooks", method: .post, form: [("event", event), ("target_url", url)])
                    #expect(hook.status == .ok)
                }
                let topic = try await client.userEcho(
                    "forums/1/topics", method: .post, form: [("header", "Hooked idea"), ("sso_token", token)]
                ).userEchoObject()
                let id = try #require(topic["id"] as? Int)
                _ = try await client.userEcho("topics/\(id)/comments", method: .post, form: [("text", "First!")])
                _ = try await client.userEcho("topics/\(id)", method: .delete)
                // A failed write sends nothing.
                _ = try await client.userEcho("forums/1/topics", method: .post, form: [("description", "no header")])
            }
            try await simulator.shutdown()
            let deliveries = await receiver.deliveries
            let bodies = try deliveries.map { try #require(try JSONSerialization.jsonObject(with: Data($0.body)) as? [String: Any]) }
            #expect(Set(bodies.compactMap { $0["hook"] as? String }) == ["topic.created", "comment.created", "topic.deleted"])
            #expect(deliveries.count == 3)
            #expect(deliveries.allSatisfy { $0.signature == UserEchoFixture.signature($0.body) })
            let created = try #require(bodies.first { $0["hook"] as? String == "topic.created" })
            let data = try #require(created["data"] as? [String: Any])
            #expect(data["header"] as? String == "Hooked idea")
            #expect((data["author"] as? [String: Any])?["name"] as? String == "Hook Person")
            let comment = try #require(bodies.first { $0["hook"] as? String == "comment.created" })
            #expect((comment["data"] as? [String: Any])?["text"] as? String == "First!")
        }
    }

    @Test func simulatorDroppedWithoutShutdownStillClosesItsClient() async throws {
        // Port 9 (discard) is closed here: the hook fails fast, and dropping the simulator
        // afterwards must not trip AsyncHTTPClient's "not shut down" check.
        var simulator: UserEchoSimulator? = UserEchoFixture.simulator()
        try await withUserEchoRouter(try #require(simulator)) { client in
            _ = try await client.userEcho("hooks", method: .post, form: [("event", "topic.created"), ("target_url", "http://127.0.0.1:9/")])
            #expect(try await client.userEcho("forums/1/topics", method: .post, form: [("header", "Orphan")]).status == .ok)
        }
        simulator = nil
        try await Task.sleep(for: .milliseconds(200))
    }
}
