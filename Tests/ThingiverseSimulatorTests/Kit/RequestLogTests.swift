import Testing

@testable import ThingiverseSimulator

/// The kit's request log behind every simulator's `requestLog()` and `requestCount(path:)`.
@Suite struct RequestLogTests {
    @Test func aRequestCountsUnderItsFullPathItsPathBelowThePrefixAndItsOtherNamesOnce() {
        var log = RequestLog()
        let entry = LoggedRequest(method: "GET", path: "/sim/api/users/me/", relativePath: "/users/me/")
        log.record(entry, otherNames: ["/users/me.json", "/users/me"])
        #expect(log.count(path: "/sim/api/users/me") == 1)
        #expect(log.count(path: "users/me/?page=2") == 1)
        #expect(log.count(path: "/users/me.json") == 1)
        #expect(log.lines == ["GET /sim/api/users/me/"])
    }

    @Test func theLineShowsTheRedactedQueryWhenOneWasKept() {
        let entry = LoggedRequest(method: "POST", path: "/api/v2/topics.json", relativePath: "/topics.json", redactedQuery: "sso_token=<redacted>")
        #expect(entry.line == "POST /api/v2/topics.json?sso_token=<redacted>")
    }

    @Test func theOldestEntriesGoOnceTwiceTheLimitAreKept() {
        var entries = [Int]()
        for number in 1...7 {
            entries.appendKeepingRecent(number, keptAtLeast: 3)
        }
        #expect(entries == [4, 5, 6, 7])
    }
}
