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
        #expect(
            TokenReply(body: ByteBuffer(string: #" {"access_token": "abc123", "token_type": "bearer", "expires_in": 3600}"#)).accessToken
                == Secret("abc123"))
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

    @Test func anAddedBodyParameterKeepsTheBodysOwnFormat() {
        var headers = HTTPHeaders()
        func add(_ body: String?, _ type: String?, _ name: String = "_method", _ value: String = "patch") -> String? {
            let added = BodyParameters.adding(name, value, to: body.map { ByteBuffer(string: $0) }, contentType: type, headers: &headers)
            return added.map { String(buffer: $0) }
        }
        #expect(add(#"{"title":"x"}"#, "application/json") == #"{"_method":"patch","title":"x"}"#)
        #expect(add("{ }", "application/json; charset=utf-8") == #"{"_method":"patch"}"#)
        // JSON's white space is four bytes; CR LF is one Swift Character but two of them.
        #expect(add("\r\n{\r\n}\r\n", "application/json") == #"{"_method":"patch"}"# + "\r\n")
        #expect(add("title=x", "application/x-www-form-urlencoded") == "title=x&_method=patch")
        #expect(headers.first(name: "content-type") == nil)
        #expect(add(nil, nil) == "_method=patch")
        #expect(headers.first(name: "content-type") == "application/x-www-form-urlencoded")
        // Values are encoded for their format.
        #expect(add("{}", "application/json", "sso_token", "a+b/c=") == #"{"sso_token":"a+b/c="}"#)
        #expect(add("x=1", "application/x-www-form-urlencoded", "sso_token", "a+b/c=") == "x=1&sso_token=a%2Bb%2Fc%3D")
        // A body it cannot add to says so, rather than going on without the parameter.
        #expect(add("[1]", "application/json") == nil)
        #expect(add("\u{FEFF}{}", "application/json") == nil)
        #expect(add("<x/>", "text/xml") == nil)
    }

    @Test func bodyParameterNamesAreReadFromFormsAndJSONObjects() {
        #expect(BodyParameters.names(in: ByteBuffer(string: "a=1&User_ID=2"), contentType: "application/x-www-form-urlencoded") == ["a", "user_id"])
        // Split on bytes: `=` followed by a combining mark still ends the name.
        let marked = ByteBuffer(string: "a\u{0301}=1&user_id=\u{0301}2")
        #expect(BodyParameters.names(in: marked, contentType: "application/x-www-form-urlencoded") == ["a\u{0301}", "user_id"])
        #expect(
            BodyParameters.names(in: ByteBuffer(string: #"{"header":"x","sso_token":"y"}"#), contentType: "application/json") == [
                "header", "sso_token",
            ])
        #expect(BodyParameters.names(in: nil, contentType: nil) == [])
        #expect(BodyParameters.names(in: ByteBuffer(string: "[1]"), contentType: "application/json") == nil)
        #expect(BodyParameters.names(in: ByteBuffer(string: "x"), contentType: "text/plain") == nil)
    }

    /// The order confirmer's lookups leave through the one way out, with THINGBRIDGE_UPSTREAM_TIMEOUT
    /// (the first release waited a fixed 20 s): an 8 s slow API is given up on after 1 s.
    @Test func orderLookupsHonourTheConfiguredUpstreamTimeout() async throws {
        try await SignInHarness.run { harness in
            let configuration = try await harness.configuration([
                "THINGIVERSE_APP_TOKEN": "app-token-for-lookups", "THINGBRIDGE_UPSTREAM_TIMEOUT": "1",
            ])
            harness.simulator.setFaults { $0.delay = .seconds(8) }
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
                #expect(elapsed < .seconds(5), "the lookup waited \(elapsed), not the configured 1 s")
            }
        }
    }
}
