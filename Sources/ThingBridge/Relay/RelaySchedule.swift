import Foundation

/// When a failed delivery is tried again: `THINGBRIDGE_RELAY_RETRY_SCHEDULE`, each wait
/// stretched by up to 10% at random so that retries after an outage spread out, and never
/// sooner than the endpoint's `Retry-After`. After the last wait's attempt, the delivery fails.
struct RelaySchedule: Sendable {
    /// Seconds before the first retry, the second, ...
    let delays: [Int]
    /// The longest `Retry-After` honoured: an endpoint cannot park deliveries for longer.
    static let longestRetryAfter = 86_400

    /// The outcome of a failed attempt.
    /// - Parameter attemptsBefore: attempts made before the one that just failed.
    func afterFailure(attemptsBefore: Int, status: Int?, error: String, retryAfter: Int?, now: Date) -> RelayAttemptOutcome {
        guard attemptsBefore < delays.count else { return .failed(status: status, error: error) }
        var seconds = Double(delays[attemptsBefore]) * Double.random(in: 1.0...1.1)
        if let retryAfter { seconds = max(seconds, Double(min(retryAfter, Self.longestRetryAfter))) }
        return .retry(at: now.addingTimeInterval(seconds), status: status, error: error)
    }
}
