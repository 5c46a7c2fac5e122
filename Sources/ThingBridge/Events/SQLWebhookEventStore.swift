import Foundation
import SQLKit
import Tracing

/// The event log on ThingBridge's ``Database`` (SQLite or PostgreSQL, same statements): every
/// source's events, deduplicated, with quarantined bodies. What a source makes of its events
/// (Thingiverse's order rows) is its ``EventProjection``, run in the transaction that stores them.
///
/// Concurrent deliveries are written together (``Batcher``), in one transaction on the
/// database's single write path: one multi-row insert of the events
/// (`ON CONFLICT (dedupe_key) DO NOTHING`, so a repeat, even one racing on another instance,
/// finds the first copy), then each projection with its sources' new events, then each new
/// event's relay deliveries are queued (``RelayOutbox``). Every caller hears back only after
/// the commit.
public struct SQLWebhookEventStore: WebhookEventStore {
    /// The most deliveries written in one statement (well under both databases' bind limits).
    static let maximumBatch = 200

    let database: Database
    private let layout: ColumnLayout
    private let batcher: Batcher<EventRow, RecordOutcome>
    /// Makes the commit's span and keeps each event's trace context with its relay deliveries,
    /// when tracing is on; `nil` costs nothing.
    let tracer: (any Tracer)?

    /// - Parameters:
    ///   - batching: whether concurrent deliveries share a write (`THINGBRIDGE_WEBHOOK_GROUP_COMMIT`);
    ///     `false` writes each delivery in its own transaction.
    ///   - projections: what the sources add to their events, at most one per source.
    ///   - tracer: a span per group commit, when tracing is on.
    public init(
        database: Database, batching: Bool = true, projections: EventProjections = .builtIn, tracer: (any Tracer)? = nil
    ) {
        self.database = database
        self.tracer = tracer
        let dialect = database.dialect
        let layout = ColumnLayout(projections)
        self.layout = layout
        self.batcher = Batcher(maximumBatch: batching ? Self.maximumBatch : 1) { [database] rows in
            guard let tracer else { return try await Self.write(rows, layout: layout, database: database, dialect: dialect) }
            return try await Self.tracedWrite(rows, layout: layout, database: database, dialect: dialect, tracer: tracer)
        }
    }

    /// One group commit inside a span: a child of the first delivery's request, linked to every
    /// other's, with the batch's size (no body, no key).
    private static func tracedWrite(
        _ rows: [EventRow], layout: ColumnLayout, database: Database, dialect: Database.Dialect, tracer: any Tracer
    ) async throws -> [RecordOutcome] {
        let parent = rows.first?.trace?.context ?? .topLevel
        let span = tracer.startSpan("event_log.commit", context: parent, ofKind: .internal)
        defer { span.end() }
        span.attributes["db.system.name"] = dialect == .sqlite ? "sqlite" : "postgresql"
        span.attributes["thingbridge.batch.size"] = rows.count
        for row in rows.dropFirst() {
            if let context = row.trace?.context { span.addLink(SpanLink(context: context, attributes: [:])) }
        }
        do {
            return try await ServiceContext.withValue(span.context) {
                try await write(rows, layout: layout, database: database, dialect: dialect)
            }
        } catch {
            span.setStatus(SpanStatus(code: .error))
            throw error
        }
    }

    private static func write(
        _ rows: [EventRow], layout: ColumnLayout, database: Database, dialect: Database.Dialect
    ) async throws -> [RecordOutcome] {
        do {
            return try await database.write { sql in try await Self.insert(rows, layout: layout, sql: sql, dialect: dialect) }
        } catch _ where rows.count > 1 {
            // Whatever broke the batch (one odd row, or the database itself), try each
            // delivery on its own so one cannot fail the others.
            return try await withThrowingTaskGroup(of: (Int, RecordOutcome).self) { group in
                for (index, row) in rows.enumerated() {
                    group.addTask {
                        (index, try await database.write { sql in try await Self.insert([row], layout: layout, sql: sql, dialect: dialect)[0] })
                    }
                }
                var outcomes = [RecordOutcome?](repeating: nil, count: rows.count)
                for try await (index, outcome) in group { outcomes[index] = outcome }
                return outcomes.map { $0! }
            }
        }
    }

    /// Its projections, for the relay's and retention's stores.
    public var projections: EventProjections { layout.projections }

    public func record(_ event: IncomingEvent) async throws -> RecordOutcome {
        guard let tracer else { return try await batcher.submit(EventRow(event, layout: layout, trace: nil)) }
        // The span storing the event is the request's: its relay attempts continue that trace.
        let context = ServiceContext.current ?? .topLevel
        let trace = StoredTraceContext.text(of: context, tracer: tracer).map { EventRow.Trace(context: context, traceParent: $0) }
        return try await batcher.submit(EventRow(event, layout: layout, trace: trace))
    }

    /// The insert's columns beyond the log's own: every projection's, and the ones the stored
    /// format requires (``Migration/eventColumnsWithoutDefault``) that no projection fills.
    /// Worked out once, when the log is made.
    struct ColumnLayout: Sendable {
        let projections: EventProjections
        /// `, name, name...` for the statement.
        let names: String
        /// The values of a row whose source has no projection.
        let otherwise: [ProjectedValue]
        /// Per projection, the position of each of its columns.
        let positions: [[Int]]

        init(_ projections: EventProjections) {
            var columns: [ProjectedColumn] = []
            var positions: [[Int]] = []
            for projection in projections.all {
                var own: [Int] = []
                for column in projection.columns {
                    precondition(!columns.contains { $0.name == column.name }, "two projections fill \(column.name)")
                    own.append(columns.count)
                    columns.append(column)
                }
                positions.append(own)
            }
            let filled = Set(columns.map(\.name))
            columns += Migration.eventColumnsWithoutDefault.filter { !filled.contains($0.name) }
            self.projections = projections
            self.names = columns.map { ", " + $0.name }.joined()
            self.otherwise = columns.map(\.otherwise)
            self.positions = positions
        }

        /// The projection of `source`, by index.
        func projection(of source: EventSource) -> Int? {
            projections.all.firstIndex { $0.source == source }
        }
    }

    /// One event ready for its insert; built outside the single writer.
    struct EventRow: Sendable {
        let event: any LoggedEvent
        let source: EventSource
        let key: String
        let receivedAt: Int64
        let body: Data
        let name: String
        let subjectID: Int64?
        let fields: String?
        /// Its source's projection, by index in the layout.
        let projection: Int?
        /// The layout's extra columns.
        let projected: [ProjectedValue]
        /// The span that stored it, when tracing.
        let trace: Trace?

        struct Trace: Sendable {
            let context: ServiceContext
            /// Kept with the event's relay deliveries.
            let traceParent: String
        }

        init(_ incoming: IncomingEvent, layout: ColumnLayout, trace: Trace? = nil) {
            self.trace = trace
            let event = incoming.delivery
            self.event = event
            source = event.source
            key = event.dedupeKey(body: incoming.rawBody)
            receivedAt = Timestamp.microseconds(incoming.receivedAt)
            body = Data(incoming.rawBody)
            name = event.eventName
            subjectID = event.subjectID
            fields = event.fieldsJSON
            var projected = layout.otherwise
            projection = layout.projection(of: source)
            if let projection {
                let values = layout.projections.all[projection].values(for: event, receivedAt: receivedAt)
                for (position, value) in zip(layout.positions[projection], values) { projected[position] = value }
            }
            self.projected = projected
        }
    }

    /// Inserts `rows`, finds the earlier copies of repeats, runs the projections and queues the
    /// relay's deliveries. Outcomes are in the order of `rows`; of identical rows in one batch the
    /// first is the new one.
    static func insert(_ rows: [EventRow], layout: ColumnLayout, sql: any SQLDatabase, dialect: Database.Dialect) async throws -> [RecordOutcome] {
        var query: SQLQueryString = """
            INSERT INTO webhook_events (source, received_at, event, \(unsafeRaw: Migration.eventSubjectColumn), dedupe_key, raw_body, fields\(unsafeRaw: layout.names)) VALUES
            """
        for (index, row) in rows.enumerated() {
            query += index == 0 ? " " : ", "
            query += """
                (\(bind: row.source.rawValue), \(integer: row.receivedAt), \(bind: row.name), \(integer: row.subjectID), \(bind: row.key), \
                \(bind: row.body), \(bind: row.fields)
                """
            for value in row.projected { query += ", \(projected: value)" }
            query += ")"
        }
        query += " ON CONFLICT (dedupe_key) DO NOTHING RETURNING id, dedupe_key"
        var inserted: [String: Int64] = [:]
        for row in try await sql.raw(query).all() {
            inserted[try row.decode(column: "dedupe_key", as: String.self)] = try row.decode(column: "id", as: Int64.self)
        }
        var existing: [String: Int64] = [:]
        let repeats = Set(rows.map(\.key)).subtracting(inserted.keys)
        if !repeats.isEmpty {
            let found = try await sql.raw("SELECT id, dedupe_key FROM webhook_events WHERE dedupe_key IN (\(binds: repeats.sorted()))").all()
            for row in found {
                existing[try row.decode(column: "dedupe_key", as: String.self)] = try row.decode(column: "id", as: Int64.self)
            }
        }
        var claimed = Set<String>()
        var projected = [[ProjectedEvent]](repeating: [], count: layout.projections.all.count)
        var newEvents: [RelayOutbox.NewEvent] = []
        var outcomes: [RecordOutcome] = []
        outcomes.reserveCapacity(rows.count)
        for row in rows {
            if let id = inserted[row.key], claimed.insert(row.key).inserted {
                outcomes.append(RecordOutcome(id: id, duplicate: false))
                newEvents.append(
                    RelayOutbox.NewEvent(
                        id: id, type: layout.projections.relayType(source: row.source, event: row.name), traceParent: row.trace?.traceParent))
                if let projection = row.projection {
                    projected[projection].append(ProjectedEvent(id: id, event: row.event, receivedAt: row.receivedAt))
                }
            } else if let id = inserted[row.key] ?? existing[row.key] {
                outcomes.append(RecordOutcome(id: id, duplicate: true))
            } else {
                throw StorageError.unavailable(reason: "an event conflicted on its dedupe key but cannot be found")
            }
        }
        for (projection, events) in zip(layout.projections.all, projected) where !events.isEmpty {
            try await projection.project(events, sql: sql, dialect: dialect)
        }
        try await RelayOutbox.enqueue(newEvents, now: Timestamp.microseconds(Date()), sql: sql)
        return outcomes
    }

    public func quarantine(rawBody: [UInt8], reason: String, receivedAt: Date, source: EventSource) async throws -> Int64 {
        let body = Data(rawBody)
        let receivedAt = Timestamp.microseconds(receivedAt)
        return try await database.write { sql in
            let row = try await sql.raw(
                """
                INSERT INTO webhook_quarantine (source, received_at, reason, raw_body)
                VALUES (\(bind: source.rawValue), \(bind: receivedAt), \(bind: reason), \(bind: body)) RETURNING id
                """
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
