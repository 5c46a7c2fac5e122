import Foundation
import SQLKit

/// The webhook store on ThingBridge's ``Database`` (SQLite or PostgreSQL, same statements).
///
/// Each delivery is one job on the database's group-commit write path: insert the event
/// (`ON CONFLICT (dedupe_key) DO NOTHING`, so a repeat, even one racing on another instance,
/// finds the first copy), then recompute its order from all of the order's events, in the
/// same transaction. The caller hears back only after the commit.
public struct SQLWebhookEventStore: WebhookEventStore {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func record(_ event: IncomingEvent) async throws -> RecordOutcome {
        // Everything that does not need the database is prepared here, outside the single writer.
        let key = event.delivery.dedupeKey(body: event.rawBody)
        let receivedAt = Timestamp.microseconds(event.receivedAt)
        let body = Data(event.rawBody)
        let name = event.delivery.eventName
        let orderID: Int64?
        let order: OrderDetails?
        let confirmation: ConfirmationStatus
        switch event.delivery {
        case .order(_, let details):
            (orderID, order, confirmation) = (details.id, details, event.confirmation)
        case .unknown(_, let id, _):
            (orderID, order, confirmation) = (id, nil, .unconfirmed)
        case .ping:
            (orderID, order, confirmation) = (nil, nil, .unconfirmed)
        }
        let fields = order.map(\.json.serialized)
        let thingID = order?.thingID
        let amount = order?.amount?.text
        let modifiedAt = order?.modifiedDate?.sortable
        let dueAt: Int64? = confirmation == .pending ? receivedAt : nil
        let dialect = database.dialect
        return try await database.write { sql in
            let inserted = try await sql.raw(
                """
                INSERT INTO webhook_events (received_at, event, order_id, dedupe_key, raw_body, fields, thing_id, amount,
                    modified_at, confirmation_status, confirmation_attempts, confirmation_due_at)
                VALUES (\(bind: receivedAt), \(bind: name), \(bind: orderID), \(bind: key), \(bind: body), \(bind: fields),
                    \(bind: thingID), \(bind: amount), \(bind: modifiedAt), \(bind: confirmation.rawValue), 0, \(bind: dueAt))
                ON CONFLICT (dedupe_key) DO NOTHING
                RETURNING id
                """
            ).first()
            if let inserted {
                if let order {
                    try await Self.refreshOrder(order.id, sql: sql, dialect: dialect)
                }
                return RecordOutcome(id: try inserted.decode(column: "id", as: Int64.self), duplicate: false)
            }
            guard let existing = try await sql.raw("SELECT id FROM webhook_events WHERE dedupe_key = \(bind: key)").first() else {
                throw StorageError.unavailable(reason: "an event conflicted on its dedupe key but cannot be found")
            }
            return RecordOutcome(id: try existing.decode(column: "id", as: Int64.self), duplicate: true)
        }
    }

    /// Recomputes an order's row from every order event stored for it.
    ///
    /// On PostgreSQL a transaction-scoped lock per order makes concurrent writers (other
    /// instances) take turns, so the last one to commit has seen every earlier event.
    static func refreshOrder(_ orderID: Int64, sql: any SQLDatabase, dialect: Database.Dialect) async throws {
        if dialect == .postgres {
            try await sql.raw("SELECT pg_advisory_xact_lock(\(literal: Self.orderLockClass), hashtext(\(bind: String(orderID))))").run()
        }
        let rows = try await sql.raw(
            """
            SELECT id, event, fields, received_at FROM webhook_events
            WHERE order_id = \(bind: orderID) AND event IN ('order_created', 'refund_requested', 'order_refunded')
            """
        ).all()
        var events: [OrderFacts.Event] = []
        events.reserveCapacity(rows.count)
        for row in rows {
            guard let kind = OrderEventKind(rawValue: try row.decode(column: "event", as: String.self)) else { continue }
            let fields = try row.decode(column: "fields", as: String?.self)
            let details = fields.flatMap { try? JSONParser.parse(Array($0.utf8)) }.flatMap { try? OrderDetails(json: $0) }
            events.append(
                OrderFacts.Event(
                    id: try row.decode(column: "id", as: Int64.self), kind: kind,
                    details: details ?? OrderDetails(id: orderID),
                    receivedAt: try row.decode(column: "received_at", as: Int64.self)
                )
            )
        }
        guard let facts = OrderFacts(events: events) else { return }
        try await sql.raw(
            """
            INSERT INTO orders (order_id, state, thing_id, amount, fees, add_date, modified_date, creation_seen, event_count,
                first_received_at, last_received_at)
            VALUES (\(bind: orderID), \(bind: facts.state.rawValue), \(bind: facts.thingID), \(bind: facts.amount?.text),
                \(bind: facts.fees?.text), \(bind: facts.addDate?.original), \(bind: facts.modifiedDate?.original),
                \(bind: facts.creationSeen), \(bind: facts.eventCount), \(bind: facts.firstReceivedAt), \(bind: facts.lastReceivedAt))
            ON CONFLICT (order_id) DO UPDATE SET state = excluded.state, thing_id = excluded.thing_id, amount = excluded.amount,
                fees = excluded.fees, add_date = excluded.add_date, modified_date = excluded.modified_date,
                creation_seen = excluded.creation_seen, event_count = excluded.event_count,
                first_received_at = excluded.first_received_at, last_received_at = excluded.last_received_at
            """
        ).run()
    }

    /// The first key of PostgreSQL's two-key advisory locks, reserved for order rows.
    static let orderLockClass = 0x7462_6F72  // "tbor"

    public func quarantine(rawBody: [UInt8], reason: String, receivedAt: Date) async throws -> Int64 {
        let body = Data(rawBody)
        let receivedAt = Timestamp.microseconds(receivedAt)
        return try await database.write { sql in
            let row = try await sql.raw(
                "INSERT INTO webhook_quarantine (received_at, reason, raw_body) VALUES (\(bind: receivedAt), \(bind: reason), \(bind: body)) RETURNING id"
            ).first()
            return try row!.decode(column: "id", as: Int64.self)
        }
    }
}

/// Times are stored as microseconds since 1970 (UTC) in a BIGINT: exact, sortable, the same in both databases.
enum Timestamp {
    static func microseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    static func date(_ microseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(microseconds) / 1_000_000)
    }
}
