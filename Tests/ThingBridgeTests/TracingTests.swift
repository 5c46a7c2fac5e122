import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing
import Tracing

@testable import ThingBridge

/// Tracing with a tracer handed to the application (``TestTracer``; nothing global): the spans
/// of a webhook from its request through the group commit to the relay attempt, the
/// `traceparent` the app's service gets, and what spans never hold.
@Suite struct TracingTests {
    @Test(arguments: TestDatabaseKind.available)
    func aWebhookTraceRunsFromTheRequestThroughTheCommitToTheRelayAttempt(kind: TestDatabaseKind) async throws {
        let tracer = TestTracer()
        let receiver = RelayReceiver()
        try await receiver.run { base in
            let configuration = try await RelayTests.configuration(kind, url: base + "/hooks/orders")
            try await TestServer.run(configuration, tracer: tracer) { server, client in
                _ = try await client.postWebhook(WebhookBodies.order(id: "77")).webhookAnswer()
                let request = try #require(try await receiver.waitFor(1).first)
                let traceParent = try #require(request.traceParent)
                #expect(try await RelayTesting.eventually { tracer.spans.contains { $0.operationName == "relay.attempt" } })

                let spans = tracer.spans
                let webhook = try #require(spans.first { $0.operationName.hasPrefix("POST /webhooks/thingiverse/") })
                #expect(webhook.kind == .server)
                #expect(!webhook.operationName.contains(TestEnvironment.webhookSecret))
                let trace = spans.filter { $0.ids.traceID == webhook.ids.traceID }
                let commit = try #require(trace.first { $0.operationName == "event_log.commit" })
                #expect(commit.parentSpanID == webhook.ids.spanID)
                let attempt = try #require(trace.first { $0.operationName == "relay.attempt" })
                #expect(attempt.parentSpanID == webhook.ids.spanID)
                #expect(attempt.links.map { $0.context.testSpanIDs } == [webhook.ids])
                #expect(attempt.attributes.get("thingbridge.relay.outcome") == .string("delivered"))
                // The endpoint continues the trace from the attempt's own HTTP call.
                let call = try #require(trace.first { $0.operationName == "The relay endpoint POST" })
                #expect(call.parentSpanID == attempt.ids.spanID)
                #expect(traceParent == "00-\(webhook.ids.traceID)-\(call.ids.spanID)-01")
                // The delivery row keeps the span that stored the event, for attempts after a restart.
                let stored = try await server.database.read { sql in
                    try await sql.raw("SELECT trace_parent FROM relay_deliveries").first()!.decode(column: "trace_parent", as: String?.self)
                }
                #expect(stored == "00-\(webhook.ids.traceID)-\(webhook.ids.spanID)-01")

                for span in spans {
                    for text in [span.operationName] + span.attributeTexts {
                        #expect(!text.contains(TestEnvironment.webhookSecret), "\(text)")
                        #expect(!text.contains("Somecity") && !text.contains("whsec_"), "\(text)")
                    }
                }
            }
        }
    }

    @Test func anIncomingTraceparentIsContinuedAndTheSpanIsNamedByItsRoute() async throws {
        let tracer = TestTracer()
        let configuration = try await WebhookTesting.configuration(.sqlite)
        try await TestServer.run(configuration, tracer: tracer) { _, client in
            let parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
            _ = try await client.getOK("/healthz", headers: [HTTPField.Name("traceparent")!: parent])
            let span = try #require(tracer.spans.first { $0.operationName.hasSuffix("/healthz") })
            #expect(span.operationName == "GET /healthz")
            #expect(span.ids.traceID == "0af7651916cd43dd8448eb211c80319c")
            #expect(span.parentSpanID == "b7ad6b7169203331")
            #expect(span.attributes.get("http.response.status_code") == .int64(200))
        }
    }

    @Test func aStoredTraceContextReadsBackAsTheSameSpan() {
        let tracer = TestTracer()
        var context = ServiceContext.topLevel
        context.testSpanIDs = TestSpanIDs(traceID: "4bf92f3577b34da6a3ce929d0e0e4736", spanID: "00f067aa0ba902b7")
        let text = StoredTraceContext.text(of: context, tracer: tracer)
        #expect(text == "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
        #expect(StoredTraceContext.context(from: text!, tracer: tracer)?.testSpanIDs == context.testSpanIDs)
        #expect(StoredTraceContext.context(from: "garbage", tracer: tracer) == nil)
        #expect(StoredTraceContext.text(of: .topLevel, tracer: tracer) == nil)
    }

    @Test(
        arguments: [
            ("https://api.thingiverse.com/things/1?access_token=x", "api.thingiverse.com"), ("http://user:pw@127.0.0.1:8080/a", "127.0.0.1"),
            ("http://[::1]:9/x", "[::1]"), ("https://forum.example.com", "forum.example.com"), ("not a url", nil),
        ] as [(String, String?)])
    func anUpstreamSpanNamesOnlyTheHost(url: String, host: String?) {
        #expect(UpstreamClient.host(of: url) == host)
    }
}
