import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Testing
import ThingiverseSimulator

@testable import ThingBridge

/// The one way out: what a reply is, read from its body; Retry-After; the token reply.
@Suite struct UpstreamTests {
    @Test(arguments: ["<html>", "  \n<!DOCTYPE html>", "\u{FEFF}<html>", "\n<br />\n<b>Fatal error</b>", "<?xml version=\"1.0\"?>"])
    func markupIsAWebPage(text: String) {
        #expect(ReplyBody.isMarkup(ByteBuffer(string: text)))
    }

    @Test(arguments: ["", "{\"a\":1}", " [1]", "access_token=abc&token_type=bearer", "error=invalid_grant", "null"])
    func dataIsNotAWebPage(text: String) {
        #expect(!ReplyBody.isMarkup(ByteBuffer(string: text)))
    }

    @Test func tokenRepliesAreReadFromTheirBodyInEitherFormat() {
        #expect(TokenReply(body: ByteBuffer(string: "access_token=e72e16c7&token_type=bearer")).accessToken == Secret("e72e16c7"))
        #expect(TokenReply(body: ByteBuffer(string: #" {"access_token": "abc123", "token_type": "bearer", "expires_in": 3600}"#)).accessToken == Secret("abc123"))
        let refused = TokenReply(body: ByteBuffer(string: "error=invalid_grant&error_description=The+code+has+expired."))
        #expect(refused.error == "invalid_grant")
        #expect(refused.accessToken == nil)
        #expect(TokenReply(body: ByteBuffer(string: #"{"error":"invalid_client"}"#)).error == "invalid_client")
        // A token that could break a header is no token.
        #expect(TokenReply(body: ByteBuffer(string: "access_token=a%0D%0AX-Evil:%201")).accessToken == nil)
        #expect(TokenReply(body: ByteBuffer(string: "access_token=")).accessToken == nil)
    }

    @Test func retryAfterIsReadAsSecondsOrAsAnHTTPDate() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(RetryAfter.seconds("120", now: now) == 120)
        #expect(RetryAfter.seconds("Tue, 14 Nov 2023 22:14:20 GMT", now: now) == 60)
        #expect(RetryAfter.seconds("soon", now: now) == nil)
        #expect(RetryAfter.seconds(nil, now: now) == nil)
    }

    @Test func thePatchOverrideKeepsTheBodysOwnFormat() {
        var headers = HTTPHeaders()
        let json = MethodOverride.patch(ByteBuffer(string: #"{"title":"x"}"#), contentType: "application/json", headers: &headers)
        #expect(String(buffer: json) == #"{"_method":"patch","title":"x"}"#)
        let emptyObject = MethodOverride.patch(ByteBuffer(string: "{ }"), contentType: "application/json", headers: &headers)
        #expect(String(buffer: emptyObject) == #"{"_method":"patch"}"#)
        let form = MethodOverride.patch(ByteBuffer(string: "title=x"), contentType: "application/x-www-form-urlencoded", headers: &headers)
        #expect(String(buffer: form) == "title=x&_method=patch")
        let empty = MethodOverride.patch(nil, contentType: nil, headers: &headers)
        #expect(String(buffer: empty) == "_method=patch")
        #expect(headers.first(name: "content-type") == "application/x-www-form-urlencoded")
    }

    /// The order confirmer's lookups leave through the one way out, with THINGBRIDGE_UPSTREAM_TIMEOUT
    /// (the first release waited a fixed 20 s): a 4 s slow API is given up on after 1 s.
    @Test func orderLookupsHonourTheConfiguredUpstreamTimeout() async throws {
        try await SignInHarness.run { harness in
            let configuration = try await harness.configuration(["THINGIVERSE_APP_TOKEN": "app-token-for-lookups", "THINGBRIDGE_UPSTREAM_TIMEOUT": "1"])
            var faults = SimulatorFaults()
            faults.delay = .seconds(4)
            harness.simulator.setFaults(faults)
            try await TestServer.run(configuration) { server, client in
                #expect(server.orderConfirmer != nil)
                let start = ContinuousClock.now
                let id = try await client.postWebhook(WebhookBodies.order()).webhookAnswer().id
                let store = SQLWebhookEventStore(database: server.database)
                var event = try await store.event(id: id)
                while event?.confirmationAttempts == 0, ContinuousClock.now - start < .seconds(10) {
                    try await Task.sleep(for: .milliseconds(50))
                    event = try await store.event(id: id)
                }
                let elapsed = ContinuousClock.now - start
                #expect(event?.confirmationAttempts == 1)
                #expect(event?.confirmation == .pending)
                #expect(event?.confirmationDetail?["last_error"] == .string("Thingiverse did not answer in time. Please try again in a moment."))
                #expect(elapsed < .seconds(3), "the lookup waited \(elapsed), not the configured 1 s")
            }
        }
    }
}
