import Foundation
import Logging
import Testing

@testable import ThingBridge

/// The server's log lines: StreamLogHandler's layout, metadata merged at write time, one line each.
@Suite struct LineLogHandlerTests {
    @Test func aLineHasTheTimeLevelLabelSortedMetadataSourceAndMessage() throws {
        let pipe = Pipe()
        var logger = Logger(label: "thingbridge") { label in LineLogHandler(label: label, fileDescriptor: pipe.fileHandleForWriting.fileDescriptor) }
        logger[metadataKey: "request_id"] = "r1"
        logger.info("request", metadata: ["http.status": "200", "a": "first"])
        logger.debug("not at info")
        try pipe.fileHandleForWriting.close()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 1)
        let line = try #require(lines.first)
        #expect(line.contains(" info thingbridge: a=first http.status=200 request_id=r1 [ThingBridgeTests] request"))
        let stamp = line.prefix(while: { $0 != " " })
        #expect(stamp.count == "2026-12-02T07:03:14+0000".count)
    }
}

/// The proxy's header readers that replaced Foundation calls on the hot path.
@Suite struct ProxyHeaderReadingTests {
    @Test(arguments: [
        ("Bearer abc", "abc"), ("bearer  abc ", "abc"), ("BEARER\tx", nil), ("Bearer", nil), ("Basic abc", nil), ("Bearer    ", ""),
    ] as [(String, String?)])
    func bearerTokensAreReadWithAnySchemeCase(header: String, token: String?) {
        #expect(ProxyController<AppRequestContext>.bearerToken(header) == token)
    }

    @Test func markupTypesAreFoundWhateverTheirCase() {
        #expect(ProxyController<AppRequestContext>.mentions("Text/HTML; charset=UTF-8", anyOf: ["html", "xml"]))
        #expect(ProxyController<AppRequestContext>.mentions("image/svg+xml", anyOf: ["svg"]))
        #expect(!ProxyController<AppRequestContext>.mentions("application/json", anyOf: ["html", "xml", "svg"]))
        #expect(!ProxyController<AppRequestContext>.mentions("", anyOf: ["html"]))
    }
}
