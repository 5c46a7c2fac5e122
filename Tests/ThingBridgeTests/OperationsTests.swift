import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@testable import ThingBridge

@Suite struct OperationsTests {
    @Test func healthAndReadinessAnswerWhileTheDatabaseIsUp() async throws {
        try await TestServer.run(try await TestEnvironment.serverConfiguration()) { _, client in
            let health = try await client.getOK("/healthz")
            #expect(health.text.contains("ok"))
            // The probe has 2 s to commit a write; on a machine loaded by the whole suite's
            // parallel fsyncs one probe can miss that, so readiness gets three chances.
            var ready = try await client.execute(uri: "/readyz", method: .get)
            for _ in 0..<2 where ready.status != .ok {
                ready = try await client.execute(uri: "/readyz", method: .get)
            }
            #expect(ready.status == .ok)
        }
    }

    @Test func readinessIs503WhenTheDatabaseIsGone() async throws {
        try await TestServer.run(try await TestEnvironment.serverConfiguration()) { server, client in
            await server.database.shutdown()
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .serviceUnavailable)
            #expect(try ready.errorBody().error == "not_ready")
            _ = try await client.getOK("/healthz")
        }
    }

    @Test func readinessIs503WhileWritesFailAndRecoversWithoutARestart() async throws {
        try await TestServer.run(try await TestEnvironment.serverConfiguration()) { server, client in
            // The writer connection refuses changes, as a read-only database file would.
            try await server.database.withWriteConnection { sql in try await sql.raw("PRAGMA query_only = ON").run() }
            let failing = try await client.execute(uri: "/readyz", method: .get)
            #expect(failing.status == .serviceUnavailable)
            #expect(try failing.errorBody().message.contains("cannot store"))
            let webhook = try await client.execute(
                uri: "/webhooks/thingiverse/\(TestEnvironment.webhookSecret)", method: .post,
                body: .init(string: #"{"event":"order_created","order":{"id":"77","amount":"1.00","modified_date":"2016-04-29 08:03:38"}}"#))
            #expect(webhook.status == .serviceUnavailable)
            try await server.database.withWriteConnection { sql in try await sql.raw("PRAGMA query_only = OFF").run() }
            // The failed webhook is remembered until a write succeeds again: the redelivery.
            #expect(try await client.execute(uri: "/readyz", method: .get).status == .serviceUnavailable)
            let redelivery = try await client.execute(
                uri: "/webhooks/thingiverse/\(TestEnvironment.webhookSecret)", method: .post,
                body: .init(string: #"{"event":"order_created","order":{"id":"77","amount":"1.00","modified_date":"2016-04-29 08:03:38"}}"#))
            #expect(redelivery.status == .ok)
            #expect(try await client.execute(uri: "/readyz", method: .get).status == .ok)
        }
    }

    @Test func unknownPathsAre404JSONAndWrongMethods405WithAllow() async throws {
        try await TestServer.run(try await TestEnvironment.serverConfiguration()) { _, client in
            let missing = try await client.execute(uri: "/no/such/thing", method: .get)
            #expect(missing.status == .notFound)
            #expect(missing.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(try missing.errorBody().error == "not_found")

            let wrongMethod = try await client.execute(uri: "/healthz", method: .delete)
            #expect(wrongMethod.status == .methodNotAllowed)
            #expect(wrongMethod.headers[.allow]?.contains("GET") == true)
            #expect(try wrongMethod.errorBody().error == "method_not_allowed")
        }
    }

    @Test func browserNavigationsGetAnHTMLErrorPage() async throws {
        try await TestServer.run(try await TestEnvironment.serverConfiguration()) { _, client in
            let page = try await client.execute(uri: "/no/such/<page>", method: .get, headers: [.accept: "text/html,application/xhtml+xml"])
            #expect(page.status == .notFound)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(page.text.contains("There is nothing at this address."))
            #expect(!page.text.contains("<page>"))
        }
    }

    /// A quote followed by a combining mark is one Swift Character, but a browser ends an
    /// attribute at the quote: the page escapes it all the same.
    @Test func htmlEscapingReadsAQuoteWithACombiningMarkAsAQuote() {
        let marked = "\"\u{0301} onfocus=x '\u{0301}<\u{0338}&\u{0301}>"
        #expect(HTMLText.escape(marked) == "&quot;\u{0301} onfocus=x &#39;\u{0301}&lt;\u{0338}&amp;\u{0301}&gt;")
        #expect(HTMLText.escape("plain text, é and 👩‍👩‍👧") == "plain text, é and 👩‍👩‍👧")
    }

    @Test func metricsCountRequestsByRouteAndStatus() async throws {
        try await TestServer.run(try await TestEnvironment.serverConfiguration()) { _, client in
            _ = try await client.execute(uri: "/healthz", method: .get)
            _ = try await client.execute(uri: "/nothing-here", method: .get)
            let metrics = try await client.getOK("/metrics")
            #expect(metrics.text.contains(#"thingbridge_http_requests_total{method="GET",route="/healthz",status="200"} 1"#))
            #expect(metrics.text.contains(#"route="unmatched",status="404""#))
            #expect(metrics.text.contains("thingbridge_http_request_duration_seconds_bucket"))
        }
    }

    @Test func theIndexPageAndStylesAreServed() async throws {
        try await TestServer.run(try await TestEnvironment.serverConfiguration()) { _, client in
            let index = try await client.getOK("/")
            #expect(index.text.contains("ThingBridge"))
            let css = try await client.getOK("/style.css")
            #expect(css.headers[.contentType]?.contains("css") == true)
        }
    }

    @Test func aPublicDirectoryWithoutPagesIsAWarningAtStart() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("no-pages-\(UUID().uuidString)").path
        let logs = CapturedLogs()
        _ = StaticFilesMiddleware<AppRequestContext>(directory: empty, logger: logs.logger())
        #expect(logs.all.contains("warning no web pages"))
        #expect(logs.all.contains("directory=\(empty)"))

        let quiet = CapturedLogs()
        _ = StaticFilesMiddleware<AppRequestContext>(directory: TestEnvironment.publicDirectory, logger: quiet.logger())
        #expect(!quiet.all.contains("no web pages"))
    }

    @Test func pagesCarryAStrictContentSecurityPolicy() async throws {
        try await TestServer.run(try await TestEnvironment.serverConfiguration()) { _, client in
            let index = try await client.execute(uri: "/", method: .get)
            let policy = try #require(index.headers[.contentSecurityPolicy])
            #expect(policy.contains("script-src 'self'"))
            #expect(!policy.contains("unsafe-inline"))
            #expect(policy.contains("frame-ancestors 'none'"))
            #expect(index.headers[.xContentTypeOptions] == "nosniff")
            let errorPage = try await client.execute(uri: "/missing", method: .get, headers: [.accept: "text/html"])
            #expect(errorPage.headers[.contentSecurityPolicy] == policy)
        }
    }

    @Test(arguments: [
        "/../Package.swift", "/%2e%2e/Package.swift", "/..%2fPackage.swift", "/%2e%2e%2fConfig/thingbridge.json", "/Public/../../etc/passwd",
        "/.%2e/.%2e/etc/passwd",
    ])
    func staticFilesRefuseTraversal(path: String) async throws {
        try await TestServer.run(try await TestEnvironment.serverConfiguration()) { _, client in
            let response = try await client.execute(uri: path, method: .get)
            #expect([.badRequest, .notFound].contains(response.status))
            #expect(!response.text.contains("swift-tools-version"))
            #expect(!response.text.contains("root:"))
        }
    }

    @Test func logsNameTheRouteNotThePathAndNoSecretsLeak() async throws {
        let logs = CapturedLogs()
        let configuration = try await TestEnvironment.serverConfiguration()
        try await TestServer.run(configuration, logs: logs) { _, client in
            _ = try await client.execute(uri: "/healthz?access_token=query-token-should-not-appear", method: .get)
            _ = try await client.execute(uri: "/webhooks/thingiverse/\(TestEnvironment.webhookSecret)", method: .post)
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(!metrics.text.contains(TestEnvironment.webhookSecret))
            #expect(!metrics.text.contains("query-token-should-not-appear"))
        }
        #expect(logs.all.contains("http.route=/healthz"))
        #expect(logs.all.contains("request_id="))
        for secret in ["query-token-should-not-appear", TestEnvironment.webhookSecret, TestEnvironment.sessionKey] {
            #expect(!logs.all.contains(secret))
        }
    }
}
