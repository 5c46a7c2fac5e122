import HTTPTypes
import Testing

@testable import ThingiverseSimulator

/// The kit's fixed-window rate limits, which Thingiverse, Flattr and UserEcho share.
@Suite struct RateBudgetsTests {
    @Test func aRefusedRequestIsNotCountedAndSaysHowLongToWait() {
        var budgets = RateBudgets()
        let start = ContinuousClock.now
        let first = budgets.consume(key: "token", limit: 2, window: .seconds(60), now: start, epoch: 1_000)
        let second = budgets.consume(key: "token", limit: 2, window: .seconds(60), now: start, epoch: 1_000)
        let refused = budgets.consume(key: "token", limit: 2, window: .seconds(60), now: start.advanced(by: .seconds(20)), epoch: 1_020)
        #expect([first.remaining, second.remaining] == [1, 0])
        #expect(first.retryAfter == nil && second.retryAfter == nil)
        #expect(refused.remaining == 0 && refused.retryAfter == 40)
        #expect(refused.resetEpoch == 1_060)
    }

    @Test func budgetsArePerKeyAndANewWindowRestoresThem() {
        var budgets = RateBudgets()
        let start = ContinuousClock.now
        _ = budgets.consume(key: "a", limit: 1, window: .seconds(10), now: start)
        #expect(budgets.consume(key: "a", limit: 1, window: .seconds(10), now: start).retryAfter != nil)
        #expect(budgets.consume(key: "b", limit: 1, window: .seconds(10), now: start).retryAfter == nil)
        #expect(budgets.consume(key: "a", limit: 1, window: .seconds(10), now: start.advanced(by: .seconds(10))).retryAfter == nil)
    }

    @Test(arguments: [true, false])
    func headersCarryTheResetOnlyWhereTheProviderSendsIt(withReset: Bool) {
        let decision = RateDecision(limit: 300, remaining: 299, resetEpoch: 1_300)
        let headers = decision.headers(withReset: withReset)
        #expect(headers[.init("X-RateLimit-Limit")!] == "300")
        #expect(headers[.init("X-RateLimit-Remaining")!] == "299")
        #expect(headers[.init("X-RateLimit-Reset")!] == (withReset ? "1300" : nil))
    }
}
