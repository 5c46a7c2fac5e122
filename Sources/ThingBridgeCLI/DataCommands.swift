import ArgumentParser
import Foundation
import Logging
import ThingBridge

/// `thingbridge events list|show|export`: stored webhook events, from the configured database.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Show the stored webhook events.",
        subcommands: [List.self, Show.self, Export.self, Archive.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List events, newest first.")

        @OptionGroup var settings: SettingsOptions
        @Option(help: "Only this event name, e.g. order_created.") var event: String?
        @Option(help: "Only events of this order id.") var order: Int64?
        @Option(help: "Received at or after (ISO 8601, a date, or seconds since 1970).") var since: String?
        @Option(help: "Received before (ISO 8601, a date, or seconds since 1970).") var until: String?
        @Option(help: "How many to show (1-500).") var limit: Int = 50
        @Option(help: "The next_cursor printed by the previous page.") var cursor: String?
        @Flag(help: "Print JSON instead of a table.") var json = false

        func run() async throws {
            let query = EventQuery(
                event: event, subjectID: order, since: try since.map { try DataCommandSupport.time($0, "--since") },
                until: try until.map { try DataCommandSupport.time($0, "--until") }, page: PageQuery(limit: limit, cursor: cursor)
            )
            let page = try await DataCommandSupport.withStore(settings) { try await $0.events(query) }
            let items = page.items.map(AdminViews.EventSummary.init)
            // The projections' listed columns follow the log's own (Thingiverse's: CONFIRMATION).
            let shownKeys = EventProjections.builtIn.shownColumns.filter(\.inListings).map(\.key)
            try DataCommandSupport.printPage(
                "events", items, nextCursor: page.nextCursor, json: json,
                header: ["ID", "RECEIVED", "EVENT", "ORDER"] + shownKeys.map { $0.uppercased() }
            ) { [String($0.id), $0.receivedAt, $0.event, $0.orderID.map(String.init) ?? "-"] + $0.shown.map(\.tableText) }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one event with its raw body.")

        @OptionGroup var settings: SettingsOptions
        @Argument(help: "The event id.") var id: Int64

        func run() async throws {
            let event = try await DataCommandSupport.withStore(settings) { try await $0.event(id: id) }
            guard let event else { throw ValidationError("There is no event \(id).") }
            try DataCommandSupport.printJSON(AdminViews.EventDetail(event), pretty: true)
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write every event as JSON lines (oldest first, raw bodies included) to standard output."
        )

        @OptionGroup var settings: SettingsOptions
        @Option(help: "Only events with an id above this one (to continue an earlier export).") var after: Int64 = 0

        func run() async throws {
            let start = after
            try await DataCommandSupport.withStore(settings) { store in
                try await AdminViews.exportEvents(from: store, after: start, batchSize: 1000) { FileHandle.standardOutput.write($0) }
            }
        }
    }
}

extension EventsCommand {
    /// `thingbridge events archive --before DATE [--prune]`: old events as JSON lines, then optionally pruned.
    struct Archive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "archive",
            abstract: "Write the events received before a date as JSON lines (the export's format), then optionally delete them.",
            discussion: """
                Events are written oldest first. With --prune they are deleted only after every line has been written \
                (and, with --output, flushed to disk), and only those written; orders keep their state, amounts and \
                figures. Events with a relay delivery still pending are kept.
                """
        )

        @OptionGroup var settings: SettingsOptions
        @Option(help: "Only events received before this (a date, an ISO 8601 time, or seconds since 1970); must be in the past.") var before: String
        @Option(help: "Write to this file instead of standard output.") var output: String?
        @Flag(help: "Delete the archived events afterwards.") var prune = false

        func run() async throws {
            let cutoff = try DataCommandSupport.time(before, "--before")
            guard cutoff <= Date() else {
                throw ValidationError("--before must be in the past, so that no event can arrive after the archive and be pruned unarchived.")
            }
            let sink: FileHandle
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: nil) else {
                    throw ValidationError("--output: cannot create \(output).")
                }
                sink = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
            } else {
                sink = FileHandle.standardOutput
            }
            let shouldPrune = prune
            let result = try await DataCommandSupport.withDatabase(settings) { database -> (written: Int, pruned: Int, kept: Int) in
                let store = SQLWebhookEventStore(database: database)
                let encoder = AdminViews.encoder()
                var position: EventPosition?
                var written = 0
                var newest: Int64 = 0
                while true {
                    let batch = try await store.events(receivedBefore: cutoff, after: position, limit: 1000)
                    guard let last = batch.last else { break }
                    try sink.write(contentsOf: AdminViews.jsonLines(batch.events, encoder: encoder))
                    newest = max(newest, batch.events.lazy.map(\.id).max() ?? newest)
                    written += batch.events.count
                    position = last
                }
                if output != nil { try sink.synchronize() }
                guard shouldPrune, written > 0 else { return (written, 0, 0) }
                let retention = SQLRetentionStore(database: database)
                var pruned = 0
                while true {
                    let batch = try await retention.pruneEvents(receivedBefore: cutoff, upTo: newest, limit: 500)
                    pruned += batch.deleted
                    if batch.deleted < 500 { break }
                }
                return (written, pruned, written - pruned)
            }
            if output != nil { try sink.close() }
            let note =
                shouldPrune
                ? "; pruned \(result.pruned)" + (result.kept > 0 ? ", kept \(result.kept) (a relay delivery or confirmation is pending)" : "") : ""
            FileHandle.standardError.write(Data("Archived \(result.written) events received before \(AdminViews.time(cutoff))\(note).\n".utf8))
        }
    }
}

/// `thingbridge orders list|show`: each order's state, from the configured database.
struct OrdersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orders", abstract: "Show orders and their state.", subcommands: [List.self, Show.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List orders, highest id first.")

        @OptionGroup var settings: SettingsOptions
        @Option(help: "Only orders in this state: created, refund_requested or refunded.") var state: String?
        @Option(help: "How many to show (1-500).") var limit: Int = 50
        @Option(help: "The next_cursor printed by the previous page.") var cursor: String?
        @Flag(help: "Print JSON instead of a table.") var json = false

        func run() async throws {
            var orderState: OrderState?
            if let state {
                guard let parsed = OrderState(rawValue: state) else {
                    throw ValidationError("--state must be one of \(OrderState.allCases.map(\.rawValue).joined(separator: ", ")).")
                }
                orderState = parsed
            }
            let query = OrderQuery(state: orderState, page: PageQuery(limit: limit, cursor: cursor))
            let page = try await DataCommandSupport.withOrders(settings) { try await $0.orders(query) }
            try DataCommandSupport.printPage(
                "orders", page.items, nextCursor: page.nextCursor, json: json,
                header: ["ORDER", "STATE", "THING", "AMOUNT", "MODIFIED", "EVENTS"]
            ) {
                [
                    String($0.orderID), $0.state.rawValue, $0.thingID.map(String.init) ?? "-", $0.amount ?? "-", $0.modifiedDate ?? "-",
                    String($0.eventCount),
                ]
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one order's state and history.")

        @OptionGroup var settings: SettingsOptions
        @Argument(help: "The Thingiverse order id.") var id: Int64

        func run() async throws {
            let detail = try await DataCommandSupport.withOrders(settings) { store -> AdminViews.OrderDetail? in
                guard let order = try await store.order(id: id) else { return nil }
                let history = try await store.history(orderID: id)
                return AdminViews.OrderDetail(order, history: history)
            }
            guard let detail else { throw ValidationError("There is no order \(id).") }
            try DataCommandSupport.printJSON(detail, pretty: true)
        }
    }
}

/// What the data commands share: opening the store, parsing times, printing.
enum DataCommandSupport {
    /// Opens the configured database's event log (which must be migrated), runs `body`, and closes it.
    static func withStore<T: Sendable>(_ settings: SettingsOptions, _ body: (SQLWebhookEventStore) async throws -> T) async throws -> T {
        try await withDatabase(settings) { try await body(SQLWebhookEventStore(database: $0)) }
    }

    /// Opens the configured database's Thingiverse orders (which must be migrated), runs `body`, and closes it.
    static func withOrders<T: Sendable>(_ settings: SettingsOptions, _ body: (SQLOrderStore) async throws -> T) async throws -> T {
        try await withDatabase(settings) { try await body(SQLOrderStore(database: $0)) }
    }

    /// Opens the configured database's relay endpoints and deliveries (which must be migrated), runs `body`, and closes it.
    static func withRelayStore<T: Sendable>(_ settings: SettingsOptions, _ body: (SQLRelayStore) async throws -> T) async throws -> T {
        try await withDatabase(settings) { try await body(SQLRelayStore(database: $0)) }
    }

    /// Opens the configured database (which must be migrated), runs `body`, and closes it.
    static func withDatabase<T: Sendable>(_ settings: SettingsOptions, _ body: (Database) async throws -> T) async throws -> T {
        let configuration = try await settings.load()
        let database: Database
        do {
            database = try await Database.open(configuration.database, logger: Logger.thingbridge(level: .warning))
        } catch let error as StorageError {
            SettingsOptions.fail("THINGBRIDGE_DATABASE_URL: \(error.description)")
        }
        do {
            let migrator = Migrator(database: database)
            let version = try await migrator.currentVersion()
            guard version >= migrator.latestVersion else {
                await database.shutdown()
                SettingsOptions.fail("the database is at schema version \(version); run `thingbridge migrate` (or start the server) first")
            }
            let result = try await body(database)
            await database.shutdown()
            return result
        } catch let error as StorageError {
            await database.shutdown()
            SettingsOptions.fail("THINGBRIDGE_DATABASE_URL: \(error.description)")
        } catch is SQLWebhookEventStore.InvalidCursor {
            await database.shutdown()
            throw ValidationError("--cursor must be a value printed after a previous page.")
        } catch let error as RelayError {
            await database.shutdown()
            throw ValidationError(error.appError.message)
        } catch {
            await database.shutdown()
            throw error
        }
    }

    static func time(_ text: String, _ flag: String) throws -> Date {
        guard let date = AdminTime.parse(text) else {
            throw ValidationError("\(flag) must be an ISO 8601 time such as 2024-05-01T12:00:00Z, a date, or seconds since 1970.")
        }
        return date
    }

    static func printJSON(_ value: some Encodable, pretty: Bool = false) throws {
        var data = try AdminViews.encoder(pretty: pretty).encode(value)
        data.append(0x0A)
        FileHandle.standardOutput.write(data)
    }

    /// One page of a listing: the admin API's JSON (`{key: [...], "next_cursor"}`) with `--json`, otherwise a
    /// table and the flag that shows the next page.
    static func printPage<Item: Encodable & Sendable>(
        _ key: String, _ items: [Item], nextCursor: String?, json: Bool, header: [String], row: (Item) -> [String]
    ) throws {
        if json {
            try printJSON(AdminViews.Listing(key: key, items: items, nextCursor: nextCursor))
            return
        }
        printTable(header, items.map(row))
        if let nextCursor { print("More: --cursor \(nextCursor)") }
    }

    static func printTable(_ header: [String], _ rows: [[String]]) {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        for row in all {
            print(
                row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                    .trimmingCharacters(in: .whitespaces))
        }
    }
}
