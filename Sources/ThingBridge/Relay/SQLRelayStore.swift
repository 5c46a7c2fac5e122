import Foundation
import SQLKit

/// The relay's tables on ThingBridge's ``Database`` (SQLite or PostgreSQL, same statements but
/// one): endpoints, the outbox of deliveries (queued by ``RelayOutbox`` with their events),
/// and each attempt.
///
/// Work is handed out by leases: a claim moves a pending delivery's due time past the lease
/// and marks it with a token, and only the holder of that token records the outcome. On
/// PostgreSQL the claim skips rows another instance is claiming (`FOR UPDATE SKIP LOCKED`),
/// so instances never send one delivery at the same time; a killed instance's leases simply
/// run out and the deliveries are claimed again.
public struct SQLRelayStore: Sendable {
    let database: Database
    /// The event log's projections: the types events are relayed as, and what they add.
    let projections: EventProjections
    /// What the projections add to relayed events.
    let annotations: [RelayAnnotation]

    /// - Parameter projections: the event log's (``SQLWebhookEventStore/projections``).
    public init(database: Database, projections: EventProjections = .builtIn) {
        self.database = database
        self.projections = projections
        self.annotations = projections.relayAnnotations
    }

    /// Where and how to send one endpoint's deliveries.
    struct Target: Sendable {
        let id: String
        let url: String
        /// Its own secrets (newest first), or `nil` for a configured endpoint, which signs with
        /// `THINGBRIDGE_RELAY_SECRET`.
        let secrets: [Secret]?
    }

    // MARK: Endpoints

    /// Makes the endpoints of `THINGBRIDGE_RELAY_ENDPOINTS` exist and be enabled, and disables
    /// configured endpoints no longer listed (their deliveries are kept, not sent).
    func syncConfigured(urls: [String], now: Date = Date()) async throws {
        let createdAt = Timestamp.microseconds(now)
        let ids = urls.map(RelayEndpoint.configuredID(url:))
        try await database.write { sql in
            for (id, url) in zip(ids, urls) {
                try await sql.raw(
                    """
                    INSERT INTO relay_endpoints (id, url, types, configured, created_at) VALUES (\(bind: id), \(bind: url), '*', 1, \(bind: createdAt))
                    ON CONFLICT (id) DO UPDATE SET url = excluded.url, disabled_at = NULL, disabled_reason = NULL
                    WHERE relay_endpoints.disabled_reason = \(bind: Self.leftConfiguration)
                    """
                ).run()
            }
            var unlisted: SQLQueryString =
                "UPDATE relay_endpoints SET disabled_at = \(bind: createdAt), disabled_reason = \(bind: Self.leftConfiguration) WHERE configured = 1 AND disabled_at IS NULL"
            if !ids.isEmpty { unlisted += " AND id NOT IN (\(binds: ids))" }
            try await sql.raw(unlisted).run()
        }
    }

    static let leftConfiguration = "no longer in THINGBRIDGE_RELAY_ENDPOINTS"

    /// Every endpoint with its health, oldest first: kept counters and one indexed lookup per
    /// endpoint, never a scan of the deliveries (which grow with history).
    public func endpoints() async throws -> [RelayEndpointStatus] {
        try await database.read { sql in
            let rows = try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.endpointColumns), pending_count, delivered_count, failed_count, last_error, last_delivered_at
                FROM relay_endpoints ORDER BY created_at, id
                """
            ).all()
            var statuses: [RelayEndpointStatus] = []
            for row in rows {
                var status = RelayEndpointStatus(
                    endpoint: try Self.endpoint(from: row),
                    pending: try row.decode(column: "pending_count", as: Int.self),
                    delivered: try row.decode(column: "delivered_count", as: Int.self),
                    failed: try row.decode(column: "failed_count", as: Int.self)
                )
                status.lastDeliveredAt = try row.decode(column: "last_delivered_at", as: Int64?.self).map(Timestamp.date)
                status.lastError = try row.decode(column: "last_error", as: String?.self)
                if status.pending > 0 {
                    // The partial index on (endpoint_id, created_at) of pending rows answers this at once.
                    let oldest = try await sql.raw(
                        """
                        SELECT created_at FROM relay_deliveries WHERE endpoint_id = \(bind: status.endpoint.id) AND state = 'pending'
                        ORDER BY created_at LIMIT 1
                        """
                    ).first()
                    status.oldestPendingSince = (try oldest?.decode(column: "created_at", as: Int64.self)).map(Timestamp.date)
                }
                statuses.append(status)
            }
            return statuses
        }
    }

    public func endpoint(id: String) async throws -> RelayEndpoint? {
        try await database.read { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.endpointColumns) FROM relay_endpoints WHERE id = \(bind: id)").first().map(
                Self.endpoint(from:))
        }
    }

    /// Adds an endpoint with a new secret; the secret is returned here and never again.
    public func addEndpoint(url: String, types: RelayTypeFilter, now: Date = Date()) async throws -> (endpoint: RelayEndpoint, secret: Secret) {
        guard RelayEndpoint.isDeliverable(url) else { throw RelayError.invalidURL }
        let endpoint = RelayEndpoint(id: RelayEndpoint.newID(), url: url, types: types, configured: false, createdAt: now)
        let secret = StandardWebhookSigner.newSecret()
        let createdAt = Timestamp.microseconds(now)
        try await database.write { sql in
            try await sql.raw(
                """
                INSERT INTO relay_endpoints (id, url, types, secret, configured, created_at)
                VALUES (\(bind: endpoint.id), \(bind: url), \(bind: types.stored), \(bind: secret.value), 0, \(bind: createdAt))
                """
            ).run()
        }
        return (endpoint, secret)
    }

    /// Removes an endpoint added through the API or CLI, with its deliveries.
    public func removeEndpoint(id: String) async throws {
        try await database.write { sql in
            guard let row = try await sql.raw("SELECT configured FROM relay_endpoints WHERE id = \(bind: id)").first() else {
                throw RelayError.endpointNotFound(id)
            }
            guard try row.decode(column: "configured", as: Int.self) == 0 else { throw RelayError.configuredEndpoint(id) }
            try await sql.raw("DELETE FROM relay_attempts WHERE delivery_id IN (SELECT id FROM relay_deliveries WHERE endpoint_id = \(bind: id))")
                .run()
            try await sql.raw("DELETE FROM relay_deliveries WHERE endpoint_id = \(bind: id)").run()
            try await sql.raw("DELETE FROM relay_endpoints WHERE id = \(bind: id)").run()
        }
    }

    /// Gives an endpoint a new secret (returned once). The old one keeps signing beside it for
    /// `overlap`, so receivers can switch without missing a delivery.
    public func rotateSecret(endpointID id: String, overlap: Duration = .seconds(86_400), now: Date = Date()) async throws -> (
        secret: Secret, previousValidUntil: Date
    ) {
        let secret = StandardWebhookSigner.newSecret()
        let until = now.addingTimeInterval(TimeInterval(overlap.components.seconds))
        try await database.write { sql in
            guard let row = try await sql.raw("SELECT configured FROM relay_endpoints WHERE id = \(bind: id)").first() else {
                throw RelayError.endpointNotFound(id)
            }
            guard try row.decode(column: "configured", as: Int.self) == 0 else { throw RelayError.configuredEndpoint(id) }
            try await sql.raw(
                """
                UPDATE relay_endpoints SET previous_secret = secret, previous_secret_until = \(bind: Timestamp.microseconds(until)),
                    secret = \(bind: secret.value) WHERE id = \(bind: id)
                """
            ).run()
        }
        return (secret, until)
    }

    /// The enabled endpoints, with what signing needs.
    func activeTargets(now: Date = Date()) async throws -> [Target] {
        let nowMicros = Timestamp.microseconds(now)
        return try await database.read { sql in
            try await sql.raw(
                "SELECT id, url, secret, previous_secret, previous_secret_until FROM relay_endpoints WHERE disabled_at IS NULL ORDER BY id"
            ).all().map { row in
                var secrets: [Secret]?
                if let secret = try row.decode(column: "secret", as: String?.self) {
                    secrets = [Secret(secret)]
                    if let previous = try row.decode(column: "previous_secret", as: String?.self),
                        let until = try row.decode(column: "previous_secret_until", as: Int64?.self), until > nowMicros
                    {
                        secrets?.append(Secret(previous))
                    }
                }
                return Target(
                    id: try row.decode(column: "id", as: String.self), url: try row.decode(column: "url", as: String.self), secrets: secrets)
            }
        }
    }

    // MARK: Work

    /// Claims up to `limit` due deliveries of one endpoint for one attempt each, for `lease`.
    func claim(endpointID: String, limit: Int, now: Date = Date(), lease: Duration) async throws -> [RelayTask] {
        let nowMicros = Timestamp.microseconds(now)
        let leaseEnd = nowMicros + lease.components.seconds * 1_000_000
        let token = randomToken(bytes: 16)
        let skipLocked = database.dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        let annotationColumns = annotations.indices.map { ", (\(annotations[$0].query)) AS annotation_\($0)" }.joined()
        let rows = try await database.write { sql in
            let claimed = try await sql.raw(
                """
                UPDATE relay_deliveries SET due_at = \(bind: leaseEnd), lease = \(bind: token)
                WHERE state = 'pending' AND due_at <= \(bind: nowMicros) AND id IN (
                    SELECT id FROM relay_deliveries WHERE endpoint_id = \(bind: endpointID) AND state = 'pending' AND due_at <= \(bind: nowMicros)
                        AND EXISTS (SELECT 1 FROM relay_endpoints WHERE id = \(bind: endpointID) AND disabled_at IS NULL)
                    ORDER BY due_at, id LIMIT \(literal: limit)\(unsafeRaw: skipLocked))
                RETURNING id
                """
            ).all().map { try $0.decode(column: "id", as: Int64.self) }
            guard !claimed.isEmpty else { return [any SQLRow]() }
            return try await sql.raw(
                """
                SELECT d.id, d.event_id, d.type, d.attempts, d.trace_parent, e.raw_body, e.received_at\(unsafeRaw: annotationColumns)
                FROM relay_deliveries d JOIN webhook_events e ON e.id = d.event_id
                WHERE d.id IN (\(binds: claimed)) ORDER BY d.id
                """
            ).all()
        }
        return try rows.map { row in
            let eventID = try row.decode(column: "event_id", as: Int64.self)
            let type = try row.decode(column: "type", as: String.self)
            let body = RelayMessage.body(
                type: type, receivedAt: Timestamp.date(try row.decode(column: "received_at", as: Int64.self)), eventID: eventID,
                annotations: try annotations(row), rawBody: Array(try row.decode(column: "raw_body", as: Data.self))
            )
            return RelayTask(
                deliveryID: try row.decode(column: "id", as: Int64.self), eventID: eventID, endpointID: endpointID, type: type,
                attempts: try row.decode(column: "attempts", as: Int.self), lease: token, body: body,
                traceParent: try row.decode(column: "trace_parent", as: String?.self)
            )
        }
    }

    /// The values of ``annotations`` in a claimed row, by key; an annotation without a value is left out.
    private func annotations(_ row: any SQLRow) throws -> [String: String] {
        var values: [String: String] = [:]
        for (index, annotation) in annotations.enumerated() {
            if let value = try row.decode(column: "annotation_\(index)", as: String?.self) { values[annotation.key] = value }
        }
        return values
    }

    /// Makes the deliveries claimed by a process that is gone due now, instead of after their
    /// lease (a minute): for SQLite, which has one ThingBridge process, called when it starts.
    /// Their attempt may have reached the endpoint before the crash; it is sent again with the
    /// same `webhook-id`, as after any lost lease. Returns how many were released.
    @discardableResult
    func releaseLeasesAfterRestart(now: Date = Date()) async throws -> Int {
        let nowMicros = Timestamp.microseconds(now)
        return try await database.write { sql in
            try await sql.raw(
                """
                UPDATE relay_deliveries SET due_at = \(bind: nowMicros), lease = NULL
                WHERE state = 'pending' AND lease IS NOT NULL RETURNING id
                """
            ).all().count
        }
    }

    /// One finished attempt, to be recorded.
    struct Completion: Sendable {
        let task: RelayTask
        let outcome: RelayAttemptOutcome
        let attemptedAt: Date
        let duration: Duration
    }

    /// Records an attempt and its outcome. Returns `false` when the lease had been lost (a retry
    /// or replay requeued the delivery meanwhile): the attempt is kept, the state is not touched.
    @discardableResult
    func complete(_ task: RelayTask, outcome: RelayAttemptOutcome, attemptedAt: Date, duration: Duration) async throws -> Bool {
        try await complete([Completion(task: task, outcome: outcome, attemptedAt: attemptedAt, duration: duration)])[0]
    }

    /// Records several attempts in one transaction (the dispatcher gathers those that end
    /// together), one multi-row insert for their history. One answer per completion, in order.
    func complete(_ completions: [Completion]) async throws -> [Bool] {
        // Endpoint rows are locked (the kept counters, the latest attempt) in id order, as the
        // outbox locks them when it queues, so two PostgreSQL transactions never wait on each other in a cycle.
        let order = completions.indices.sorted { (completions[$0].task.endpointID, $0) < (completions[$1].task.endpointID, $1) }
        let sorted = order.map { completions[$0] }
        let keptSorted = try await database.write { sql in
            var kept: [Bool] = []
            kept.reserveCapacity(sorted.count)
            var history: SQLQueryString = "INSERT INTO relay_attempts (delivery_id, attempted_at, status, error, duration_ms) VALUES"
            for (index, completion) in sorted.enumerated() {
                let outcome = completion.outcome
                let attempted = Timestamp.microseconds(completion.attemptedAt)
                let duration = completion.duration.components
                let milliseconds = Int(duration.seconds * 1000 + duration.attoseconds / 1_000_000_000_000_000)
                var due: Int64?
                if case .retry(let at, _, _) = outcome { due = Timestamp.microseconds(at) }
                let deliveredAt: Int64? = outcome.state == .delivered ? attempted : nil
                let updated = try await sql.raw(
                    """
                    UPDATE relay_deliveries SET state = \(bind: outcome.state.rawValue), attempts = attempts + 1, total_attempts = total_attempts + 1,
                        due_at = \(bind: due), lease = NULL, last_attempt_at = \(bind: attempted), last_status = \(bind: outcome.status),
                        last_error = \(bind: outcome.error), delivered_at = \(bind: deliveredAt)
                    WHERE id = \(bind: completion.task.deliveryID) AND lease = \(bind: completion.task.lease) RETURNING id
                    """
                ).all()
                kept.append(!updated.isEmpty)
                history += index == 0 ? " " : ", "
                history +=
                    "(\(bind: completion.task.deliveryID), \(bind: attempted), \(bind: outcome.status), \(bind: outcome.error), \(bind: milliseconds))"
                // The endpoint's latest attempt, for its health (later completions overwrite earlier ones).
                try await sql.raw(
                    """
                    UPDATE relay_endpoints SET last_error = \(bind: outcome.error),
                        last_delivered_at = COALESCE(\(bind: deliveredAt), last_delivered_at)
                    WHERE id = \(bind: completion.task.endpointID)
                    """
                ).run()
                if outcome == .gone {
                    try await sql.raw(
                        """
                        UPDATE relay_endpoints SET disabled_at = \(bind: attempted), disabled_reason = 'answered 410 Gone'
                        WHERE id = \(bind: completion.task.endpointID) AND disabled_at IS NULL
                        """
                    ).run()
                }
            }
            if !sorted.isEmpty { try await sql.raw(history).run() }
            return kept
        }
        var kept = [Bool](repeating: false, count: completions.count)
        for (position, index) in order.enumerated() { kept[index] = keptSorted[position] }
        return kept
    }

    /// Pending deliveries of enabled endpoints, and when the oldest of them was queued.
    func backlog() async throws -> (count: Int, oldest: Date?) {
        try await database.read { sql in
            // The kept counters, and per enabled endpoint with a backlog its oldest pending row (indexed).
            let endpoints = try await sql.raw(
                "SELECT id, pending_count FROM relay_endpoints WHERE disabled_at IS NULL AND pending_count > 0"
            ).all()
            var count = 0
            var oldest: Int64?
            for endpoint in endpoints {
                let id = try endpoint.decode(column: "id", as: String.self)
                count += try endpoint.decode(column: "pending_count", as: Int.self)
                let row = try await sql.raw(
                    "SELECT created_at FROM relay_deliveries WHERE endpoint_id = \(bind: id) AND state = 'pending' ORDER BY created_at LIMIT 1"
                ).first()
                if let created = try row?.decode(column: "created_at", as: Int64.self) { oldest = min(oldest ?? created, created) }
            }
            return (count, oldest.map(Timestamp.date))
        }
    }

    // MARK: Rows

    static let endpointColumns = "id, url, types, configured, created_at, disabled_at, disabled_reason, previous_secret_until"

    static func endpoint(from row: any SQLRow) throws -> RelayEndpoint {
        RelayEndpoint(
            id: try row.decode(column: "id", as: String.self),
            url: try row.decode(column: "url", as: String.self),
            types: RelayTypeFilter(stored: try row.decode(column: "types", as: String.self)),
            configured: try row.decode(column: "configured", as: Int.self) != 0,
            createdAt: Timestamp.date(try row.decode(column: "created_at", as: Int64.self)),
            disabledAt: try row.decode(column: "disabled_at", as: Int64?.self).map(Timestamp.date),
            disabledReason: try row.decode(column: "disabled_reason", as: String?.self),
            previousSecretUntil: try row.decode(column: "previous_secret_until", as: Int64?.self).map(Timestamp.date)
        )
    }
}
