import Foundation
import NIOCore
import Testing

@testable import ThingBridge

/// Inputs the fuzz targets (`Benchmarks/fuzz/`) found, minimized, each with the property it broke.
/// A new finding goes here as it was found, next to its fix (see Benchmarks/fuzz/README.md).
@Suite struct FuzzRegressionTests {
    /// token-reply: a form value starting with U+FEFF lost it (Foundation's `removingPercentEncoding`
    /// drops a leading byte order mark on Linux), so the form reply `access_token=%EF%BB%BF%20%20%3Chtml%3E`
    /// gave the token `<html>` while the same value in JSON gave none.
    @Test func formValueKeepsALeadingByteOrderMark() {
        let value = "\u{FEFF}  <html>"
        let decoded = FormEncoding.decode("access_token=%EF%BB%BF%20%20%3Chtml%3E")["access_token"]
        #expect(decoded.map { Array($0.unicodeScalars) } == Array(value.unicodeScalars))
        let form = TokenReply(body: ByteBuffer(string: FormEncoding.encode([("access_token", value)])))
        let json = TokenReply(body: ByteBuffer(string: #"{"access_token":"\#(value)"}"#))
        #expect(form.accessToken == nil)
        #expect(form.accessToken == json.accessToken)
    }

    @Test(arguments: ["a+b%20c", "%", "%zz", "100%", "%C3%A9t%C3%A9", "%FF", "%00"])
    func formDecodingIsUnchangedOtherwise(text: String) {
        let before = text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? text
        #expect(FormEncoding.unescape(text) == before)
    }
}

extension FuzzRegressionTests {
    /// webhook: a UserEcho hook whose `data.id` is a long number put all of it into the dedupe
    /// key, a unique index (PostgreSQL refuses index rows over about 2.7 KB). Numbers are now
    /// bounded like strings (64 bytes), so the key stays under 256 bytes.
    @Test func userEchoHookWithAHugeNumericIDKeepsAShortDedupeKey() throws {
        let body = Array(#"{"hook":"topic.created","created":"x","data":{"id":\#(String(repeating: "1", count: 3000))}}"#.utf8)
        let event = try UserEchoHookEvent.parse(body)
        #expect(event.dataID == nil)
        #expect(event.dedupeKey(body: body).utf8.count <= 256)
        #expect(try UserEchoHookEvent.parse(Array(#"{"hook":"topic.created","created":"x","data":{"id":17}}"#.utf8)).dataID == "17")
    }
}

extension FuzzRegressionTests {
    /// proxy-path: a query with one character URLs do not allow as is (here a malformed escape)
    /// made Foundation's URL parser, which async-http-client uses, encode every `%` again, so
    /// `url=https%3A%2V%2Fexample.com` went upstream as `url=https%253A%252V%252Fexample.com`.
    @Test(arguments: [
        ("url=https%3A%2V%2Fexample.com", "url=https%3A%252V%2Fexample.com"),
        ("ids[]=1&q=%3A", "ids%5B%5D=1&q=%3A"),
        ("a=|&b=%", "a=%7C&b=%25"),
        ("page=2&per_page=30", "page=2&per_page=30"),
    ])
    func forwardedQueryKeepsItsEscapes(query: String, forwarded: String) throws {
        let kept = try #require(try ProxyController<AppRequestContext>.forwardedQuery(query))
        #expect(kept == forwarded)
        let url = try #require(URL(string: "https://api.thingiverse.com/things/1?" + kept))
        #expect(url.query(percentEncoded: true) == kept)
    }
}

extension FuzzRegressionTests {
    /// return-path: the dot-segment check split the path at `?` only, so `/a/.#/i//` (and
    /// `/a/..#x`) kept a dot segment before the fragment. Same origin still, but ReturnPath
    /// promises that dot segments fall back to `/`.
    @Test(arguments: ["/a/.#/i//", "/a/..#x", "/things/..#top"])
    func dotSegmentBeforeAFragmentFallsBackToTheRoot(candidate: String) {
        #expect(ReturnPath(candidate).path == "/")
    }

    @Test func fragmentsStillPass() {
        #expect(ReturnPath("/admin#orders").path == "/admin#orders")
        #expect(ReturnPath("/things?page=2#a/../b").path == "/things?page=2#a/../b")
    }
}
