import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization
import Tracing

/// The background service that sends relay deliveries: it claims due deliveries per endpoint
/// (at most ``concurrencyPerEndpoint`` in flight for each, so one slow service cannot hold up
/// the others), posts them signed per Standard Webhooks, and records each attempt.
///
/// Deliveries live in the database, so a restart resumes them; a new event wakes the service
/// at once, and it also looks for due work every ``pollInterval`` (retries, other instances'
/// events). On graceful shutdown it stops claiming and lets attempts under way finish.
public struct RelayDispatcher: Service {
    let store: SQLRelayStore
    let client: UpstreamClient
    /// Signs for the endpoints of `THINGBRIDGE_RELAY_ENDPOINTS`; `nil` without a relay secret.
    let configuredSigner: StandardWebhookSigner?
    let schedule: RelaySchedule
    let metrics: RelayMetrics
    let logger: Logger
    /// A span per attempt, continuing the trace that stored the event, when tracing is on.
    let tracer: (any Tracer)?
    let concurrencyPerEndpoint: Int
    let pollInterval: Duration
    /// How long a claim holds a delivery: longer than an attempt can take.
    let lease: Duration
    private let work = Wakeup()
    private let progress = Progress()
    /// Attempts that end together are recorded in one write.
    private let completions: Batcher<SQLRelayStore.Completion, Bool>

    /// Attempts under way per endpoint, and whether the service is stopping.
    private final class Progress: Sendable {
        let inFlight = Mutex<[String: Int]>([:])
        let stopping = Mutex(false)
        /// The enabled endpoints, read again at most once a second (changes on other instances
        /// and through the CLI are seen within that).
        let targets = Mutex<(read: ContinuousClock.Instant, targets: [SQLRelayStore.Target])?>(nil)
    }

    /// The contract's wait for an endpoint's answer.
    public static let attemptTimeout: Duration = .seconds(15)

    /// - Parameters:
    ///   - configuredSecrets: `THINGBRIDGE_RELAY_SECRET`, the newest first.
    ///   - retrySchedule: `THINGBRIDGE_RELAY_RETRY_SCHEDULE`, seconds between attempts.
    ///   - tracer: a span per attempt and a `traceparent` header on it, when tracing is on.
    public init(
        store: SQLRelayStore,
        httpClient: HTTPClient,
        configuredSecrets: [Secret],
        retrySchedule: [Int],
        metrics: RelayMetrics,
        logger: Logger,
        tracer: (any Tracer)? = nil,
        concurrencyPerEndpoint: Int = 16,
        pollInterval: Duration = .seconds(1),
        attemptTimeout: Duration = RelayDispatcher.attemptTimeout
    ) throws {
        self.store = store
        self.client = UpstreamClient(
            httpClient: httpClient, timeout: attemptTimeout, provider: "The relay endpoint", tracer: tracer, propagatesTraceContext: true)
        self.tracer = tracer
        self.configuredSigner = configuredSecrets.isEmpty ? nil : try StandardWebhookSigner(secrets: configuredSecrets)
        self.schedule = RelaySchedule(delays: retrySchedule)
        self.metrics = metrics
        self.logger = logger
        self.concurrencyPerEndpoint = concurrencyPerEndpoint
        self.pollInterval = pollInterval
        self.lease = attemptTimeout * 4
        self.completions = Batcher(maximumBatch: 200) { [store] completions in try await store.complete(completions) }
    }

    /// Tells the dispatcher that deliveries were queued, so it does not wait for the next poll.
    public func deliveriesQueued() {
        work.signal()
    }

    /// Tells the dispatcher that endpoints or their secrets changed on this instance, so it
    /// reads them again at once (other instances see a change within a second).
    public func endpointsChanged() {
        progress.targets.withLock { $0 = nil }
        work.signal()
    }

    public func run() async throws {
        let progress = self.progress
        if store.database.dialect == .sqlite {
            // One process per SQLite file: whatever is still leased was claimed by this
            // instance's previous run, which is gone. (On PostgreSQL other instances may hold
            // live leases; a dead one's run out.)
            do {
                let released = try await store.releaseLeasesAfterRestart()
                if released > 0 {
                    logger.info("relay: deliveries claimed before the restart are due again", metadata: ["count": .stringConvertible(released)])
                }
            } catch {
                logger.warning("relay: cannot release the leases of the previous run", metadata: ["error": .string(Self.describe(error))])
            }
        }
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                var backlogCheckedAt = ContinuousClock.now - .seconds(60)
                while !progress.stopping.withLock({ $0 }) {
                    if ContinuousClock.now - backlogCheckedAt > .seconds(5) {
                        await reportBacklog()
                        backlogCheckedAt = .now
                    }
                    if await pass(into: &group) == 0 {
                        await work.wait(upTo: pollInterval)
                    }
                }
            }
        } onGracefulShutdown: {
            progress.stopping.withLock { $0 = true }
            work.signal()
        }
    }

    /// Claims what each endpoint has room for and starts those attempts. Returns how many.
    private func pass(into group: inout DiscardingTaskGroup) async -> Int {
        guard let targets = await currentTargets() else { return 0 }
        var started = 0
        for target in targets {
            guard let signer = signer(for: target) else { continue }
            let inFlight = progress.inFlight.withLock { $0[target.id, default: 0] }
            let room = concurrencyPerEndpoint - inFlight
            // Claims are writes: while attempts are under way, wait until half the room is free
            // and claim for all of it at once.
            guard room > 0, inFlight == 0 || room >= concurrencyPerEndpoint / 2 else { continue }
            let tasks: [RelayTask]
            do {
                tasks = try await store.claim(endpointID: target.id, limit: room, lease: lease)
            } catch {
                logger.warning("relay: cannot claim deliveries", metadata: ["endpoint": .string(target.id), "error": .string(Self.describe(error))])
                continue
            }
            guard !tasks.isEmpty else { continue }
            progress.inFlight.withLock { $0[target.id, default: 0] += tasks.count }
            for task in tasks {
                group.addTask {
                    await attempt(task, target: target, signer: signer)
                    progress.inFlight.withLock { $0[target.id, default: 1] -= 1 }
                    work.signal()
                }
            }
            started += tasks.count
        }
        return started
    }

    private func currentTargets() async -> [SQLRelayStore.Target]? {
        if let cached = progress.targets.withLock({ $0 }), ContinuousClock.now - cached.read < .seconds(1) {
            return cached.targets
        }
        do {
            let targets = try await store.activeTargets()
            progress.targets.withLock { $0 = (.now, targets) }
            return targets
        } catch {
            logger.warning("relay: cannot read the endpoints", metadata: ["error": .string(Self.describe(error))])
            return nil
        }
    }

    private func signer(for target: SQLRelayStore.Target) -> StandardWebhookSigner? {
        guard let secrets = target.secrets else { return configuredSigner }
        return try? StandardWebhookSigner(secrets: secrets)
    }

    /// One attempt: post, classify the answer, record it.
    func attempt(_ task: RelayTask, target: SQLRelayStore.Target, signer: StandardWebhookSigner) async {
        guard let tracer else {
            await performAttempt(task, target: target, signer: signer)
            return
        }
        // A child of the span that stored the event (the webhook's request, perhaps before a
        // restart), linked to it as well: the app's service, which gets this attempt's
        // `traceparent`, continues the same trace.
        let stored = task.traceParent.flatMap { StoredTraceContext.context(from: $0, tracer: tracer) }
        let span = tracer.startSpan("relay.attempt", context: stored ?? .topLevel, ofKind: .producer)
        defer { span.end() }
        if let stored { span.addLink(SpanLink(context: stored, attributes: [:])) }
        span.attributes["thingbridge.relay.endpoint"] = target.id
        span.attributes["thingbridge.relay.delivery"] = Int(task.deliveryID)
        span.attributes["thingbridge.relay.attempt"] = task.attempts + 1
        span.attributes["thingbridge.relay.type"] = task.type
        let outcome = await ServiceContext.withValue(span.context) {
            await performAttempt(task, target: target, signer: signer)
        }
        span.attributes["thingbridge.relay.outcome"] = Self.label(outcome)
        if case .delivered = outcome {} else { span.setStatus(SpanStatus(code: .error)) }
    }

    /// The attempt itself (inside the attempt's span when tracing): post, classify, record. Returns how it ended.
    @discardableResult
    private func performAttempt(_ task: RelayTask, target: SQLRelayStore.Target, signer: StandardWebhookSigner) async -> RelayAttemptOutcome {
        let attemptedAt = Date()
        let timestamp = Int64(attemptedAt.timeIntervalSince1970)
        var request = HTTPClientRequest(url: target.url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "user-agent", value: "ThingBridge-Relay")
        request.headers.add(name: "webhook-id", value: task.messageID)
        request.headers.add(name: "webhook-timestamp", value: String(timestamp))
        request.headers.add(name: "webhook-signature", value: signer.signature(id: task.messageID, timestamp: timestamp, body: task.body))
        request.body = .bytes(ByteBuffer(bytes: task.body))
        let started = ContinuousClock.now
        let outcome: RelayAttemptOutcome
        do {
            let answer = try await client.send(request)
            switch answer.status {
            case 200..<300:
                outcome = .delivered(status: answer.status)
            case 410:
                outcome = .gone
            default:
                outcome = schedule.afterFailure(
                    attemptsBefore: task.attempts, status: answer.status, error: "answered HTTP \(answer.status)", retryAfter: answer.retryAfter,
                    now: Date())
            }
        } catch {
            outcome = schedule.afterFailure(attemptsBefore: task.attempts, status: nil, error: Self.describe(error), retryAfter: nil, now: Date())
        }
        let duration = ContinuousClock.now - started
        metrics.attempt(endpoint: target.id, outcome: Self.label(outcome), duration: duration)
        switch outcome {
        case .delivered:
            logger.debug("relay: delivered", metadata: ["endpoint": .string(target.id), "delivery": .stringConvertible(task.deliveryID)])
        case .gone:
            progress.targets.withLock { $0 = nil }
            logger.warning("relay: endpoint answered 410 Gone and is disabled", metadata: ["endpoint": .string(target.id)])
        case .retry, .failed:
            logger.notice(
                "relay: attempt failed",
                metadata: [
                    "endpoint": .string(target.id), "delivery": .stringConvertible(task.deliveryID), "outcome": .string(Self.label(outcome)),
                    "error": .string(outcome.error ?? ""),
                ])
        }
        do {
            _ = try await completions.submit(SQLRelayStore.Completion(task: task, outcome: outcome, attemptedAt: attemptedAt, duration: duration))
        } catch {
            // The lease runs out and the delivery is sent again: at least once, never lost.
            logger.warning(
                "relay: cannot record an attempt",
                metadata: ["delivery": .stringConvertible(task.deliveryID), "error": .string(Self.describe(error))])
        }
        return outcome
    }

    private func reportBacklog() async {
        guard let backlog = try? await store.backlog() else { return }
        metrics.backlog(count: backlog.count, oldestAge: backlog.oldest.map { max(0, Date().timeIntervalSince($0)) } ?? 0)
    }

    static func label(_ outcome: RelayAttemptOutcome) -> String {
        switch outcome {
        case .delivered: "delivered"
        case .retry: "retry"
        case .failed: "failed"
        case .gone: "gone"
        }
    }

    /// A short reason for the delivery's history: never the URL (it may hold a token).
    static func describe(_ error: any Error) -> String {
        if let error = error as? UpstreamError {
            switch error.kind {
            case .unreachable: return "connection refused or the host cannot be reached"
            case .timedOut: return "no answer in time"
            default: return error.description
            }
        }
        return Database.describe(error)
    }
}
