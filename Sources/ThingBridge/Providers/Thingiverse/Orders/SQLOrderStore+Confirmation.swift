import Foundation
import SQLKit

/// The persistent confirmation queue: `confirmation_status = 'pending'` rows, due at
/// `confirmation_due_at`. Claiming pushes the due time out by a lease, so a crashed attempt is
/// simply retried later and two instances do not look up the same event at once.
extension SQLOrderStore {
    public func claimDueConfirmations(limit: Int, now: Date, lease: Duration) async throws -> [ConfirmationTask] {
        let nowMicros = Timestamp.microseconds(now)
        let leaseEnd = nowMicros + lease.components.seconds * 1_000_000 + lease.components.attoseconds / 1_000_000_000_000
        let rows = try await database.write { sql in
            // The outer condition is checked again by PostgreSQL after waiting for a row another
            // instance is claiming, so a row is never handed out twice within a lease.
            try await sql.raw(
                """
                UPDATE webhook_events SET confirmation_due_at = \(bind: leaseEnd)
                WHERE confirmation_status = 'pending' AND confirmation_due_at <= \(bind: nowMicros) AND id IN (
                    SELECT id FROM webhook_events WHERE confirmation_status = 'pending' AND confirmation_due_at <= \(bind: nowMicros)
                    ORDER BY confirmation_due_at, id LIMIT \(literal: limit))
                RETURNING id, fields, order_id, confirmation_attempts
                """
            ).all()
        }
        return try rows.compactMap { row in
            let orderID = try row.decode(column: "order_id", as: Int64?.self)
            guard let orderID else { return nil }
            let fields = try row.decode(column: "fields", as: String?.self)
            let details = fields.flatMap { try? JSONParser.parse(Array($0.utf8)) }.flatMap { try? OrderDetails(json: $0) }
            return ConfirmationTask(
                eventID: try row.decode(column: "id", as: Int64.self),
                order: details ?? OrderDetails(id: orderID),
                attempts: try row.decode(column: "confirmation_attempts", as: Int.self)
            )
        }.sorted { $0.eventID < $1.eventID }
    }

    public func completeConfirmation(eventID: Int64, result: ConfirmationResult, now: Date) async throws {
        let status: ConfirmationStatus
        var detail: String?
        var dueAt: Int64?
        switch result {
        case .confirmed:
            status = .confirmed
        case .notFound:
            status = .notFound
        case .mismatch(let differences):
            status = .mismatch
            detail =
                JSONValue.array(
                    differences.map { difference in
                        .object([
                            "field": .string(difference.field),
                            "webhook": difference.webhook.map(JSONValue.string) ?? .null,
                            "api": difference.api.map(JSONValue.string) ?? .null,
                        ])
                    }
                ).serialized
        case .retry(let at, let reason):
            status = .pending
            detail = JSONValue.object(["last_error": .string(reason)]).serialized
            dueAt = Timestamp.microseconds(at)
        }
        let finalDetail = detail
        let finalDueAt = dueAt
        let checkedAt = Timestamp.microseconds(now)
        try await database.write { sql in
            try await sql.raw(
                """
                UPDATE webhook_events SET confirmation_status = \(bind: status.rawValue), confirmation_detail = \(bind: finalDetail),
                    confirmation_attempts = confirmation_attempts + 1, confirmation_due_at = \(bind: finalDueAt),
                    confirmation_checked_at = \(bind: checkedAt)
                WHERE id = \(bind: eventID) AND confirmation_status = 'pending'
                """
            ).run()
        }
    }
}
