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
        logger[metadataKey: "a"] = "the logger's, replaced by the line's"
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

    /// A value or message that carries a line break or another control character stays on its
    /// event's one line: each is written as JSON writes it.
    @Test func aTextLineEscapesControlCharacters() throws {
        let pipe = Pipe()
        let logger = Logger(label: "thingbridge") { label in LineLogHandler(label: label, fileDescriptor: pipe.fileHandleForWriting.fileDescriptor) }
        logger.warning("failed:\r\n2026-12-06 info forged line", metadata: ["error": "a\nb\u{1}\u{7F}c \"d\" \\ é"])
        try pipe.fileHandleForWriting.close()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(text.filter(\.isNewline).count == 1)
        let expected = #" warning thingbridge: error=a\nb\u0001\u007fc "d" \ é [ThingBridgeTests] failed:\r\n2026-12-06 info forged line"#
        #expect(text.hasSuffix(expected + "\n"))
    }

    /// The eight-bytes-a-step scan answers what a byte-by-byte one does, at every offset.
    @Test func theControlCharacterScanMatchesAPlainOne() {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = [0x00, 0x09, 0x0A, 0x0D, 0x1F, 0x20, 0x41, 0x7E, 0x7F, 0x80, 0x9F, 0xC3, 0xA9, 0xFF]
        for _ in 0..<20_000 {
            let line = (0..<Int.random(in: 0...40, using: &generator)).map { _ in
                Bool.random(using: &generator) ? UInt8.random(in: 0x20...0x7E, using: &generator) : alphabet.randomElement(using: &generator)!
            }
            let start = Int.random(in: 0...line.count, using: &generator)
            let plain = line[start...].contains { $0 < 0x20 || $0 == 0x7F }
            #expect(LineLogHandler.holdsControlCharacter(line, from: start) == plain, "\(line) from \(start)")
        }
    }

    @Test func aJSONLineHasTheSameFieldsAsOneObjectWithEscapedText() throws {
        let pipe = Pipe()
        let provider = Logger.MetadataProvider { ["trace_id": "4bf92f3577b34da6a3ce929d0e0e4736"] }
        var logger = Logger(label: "thingbridge") { label in
            LineLogHandler(label: label, format: .json, metadataProvider: provider, fileDescriptor: pipe.fileHandleForWriting.fileDescriptor)
        }
        logger[metadataKey: "request_id"] = "r1"
        logger.info(
            "a \"quoted\"\nmessage \u{1}ü",
            metadata: ["http.status": .stringConvertible(200), "message": "clashes", "list": ["a", "b"], "nested": ["k": "v"]])
        try pipe.fileHandleForWriting.close()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 1)
        let line = try #require(lines.first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["message"] as? String == "a \"quoted\"\nmessage \u{1}ü")
        #expect(object["level"] as? String == "info")
        #expect(object["label"] as? String == "thingbridge")
        #expect(object["source"] as? String == "ThingBridgeTests")
        #expect((object["time"] as? String)?.count == "2026-12-02T07:03:14+0000".count)
        #expect(object["request_id"] as? String == "r1")
        #expect(object["http.status"] as? String == "200")
        #expect(object["metadata.message"] as? String == "clashes")
        #expect(object["list"] as? [String] == ["a", "b"])
        #expect(object["nested"] as? [String: String] == ["k": "v"])
        #expect(object["trace_id"] as? String == "4bf92f3577b34da6a3ce929d0e0e4736")
    }
}

/// The proxy's header readers that replaced Foundation calls on the hot path.
@Suite struct ProxyHeaderReadingTests {
    @Test(
        arguments: [
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
        #expect(!ProxyController<AppRequestContext>.mentions("text/htm", anyOf: ["html"]))
        #expect(ProxyController<AppRequestContext>.mentions("hhTmL", anyOf: ["html"]))
        #expect(ProxyController<AppRequestContext>.mentions("application/vnd+XML", anyOf: ["html", "xml"]))
    }
}

/// The access log's duration, printed without floating point.
@Suite struct RequestDurationTextTests {
    @Test(
        arguments: [
            (Duration.zero, "0.000"), (.microseconds(7), "0.007"), (.microseconds(1_234), "1.234"), (.milliseconds(50), "50.000"),
            (.seconds(2) + .microseconds(30), "2000.030"), (.nanoseconds(999), "0.000"),
        ] as [(Duration, String)])
    func durationsHaveThreeDecimals(elapsed: Duration, text: String) {
        #expect(RequestTelemetryMiddleware<AppRequestContext>.milliseconds(elapsed) == text)
    }
}
