import ArgumentParser
import Foundation
import ThingBridge

/// `thingbridge relay ...`: the endpoints that get every stored event, and what was sent to them.
struct RelayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relay",
        abstract: "Relay stored events to the app's own services, signed per Standard Webhooks.",
        discussion: """
            Endpoints come from THINGBRIDGE_RELAY_ENDPOINTS (signed with THINGBRIDGE_RELAY_SECRET) \
            and from `relay endpoints add` (kept in the database, each with its own secret). \
            These commands work on the configured database; a running server picks changes up within a second.
            """,
        subcommands: [Endpoints.self, Deliveries.self, Retry.self, Replay.self, NewSecret.self]
    )

    struct Endpoints: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "endpoints", abstract: "List, add, remove endpoints, or rotate one's secret.",
            subcommands: [List.self, Add.self, Remove.self, Rotate.self], defaultSubcommand: List.self)

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "list", abstract: "List endpoints and their health.")
            @OptionGroup var settings: SettingsOptions
            @Flag(help: "Print JSON instead of a table.") var json = false

            func run() async throws {
                let statuses = try await DataCommandSupport.withRelayStore(settings) { try await $0.endpoints() }
                let views = statuses.map(RelayViews.Endpoint.init)
                if json {
                    try DataCommandSupport.printJSON(views)
                    return
                }
                DataCommandSupport.printTable(
                    ["ID", "URL", "TYPES", "FROM", "STATE", "PENDING", "DELIVERED", "FAILED"],
                    views.map { view in
                        [
                            view.id, view.url, view.types.joined(separator: ","), view.origin,
                            view.enabled ? "enabled" : "disabled: \(view.disabledReason ?? "")",
                            String(view.health?.pending ?? 0), String(view.health?.delivered ?? 0), String(view.health?.failed ?? 0),
                        ]
                    })
            }
        }

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "add", abstract: "Add an endpoint; prints its new whsec_ secret, which is not shown again.")
            @OptionGroup var settings: SettingsOptions
            @Argument(help: "The http(s) URL events are posted to.") var url: String
            @Option(parsing: .upToNextOption, help: "Types it gets, e.g. thingiverse.order.* userecho.topic.created (default: every type).")
            var types: [String] = []

            func run() async throws {
                let filter: RelayTypeFilter
                do {
                    filter = try RelayTypeFilter(types.flatMap { $0.split(separator: ",").map(String.init) })
                } catch {
                    throw ValidationError("--types: \(error.description)")
                }
                guard RelayEndpoint.isDeliverable(url) else { throw ValidationError("URL must be an absolute http:// or https:// URL.") }
                let added = try await DataCommandSupport.withRelayStore(settings) {
                    try await $0.addEndpoint(url: url, types: filter)
                }
                print("Added \(added.endpoint.id) for \(filter).")
                print("Secret (shown once; the endpoint verifies with it): \(added.secret.value)")
            }
        }

        struct Remove: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove an endpoint and its deliveries.")
            @OptionGroup var settings: SettingsOptions
            @Argument(help: "The endpoint id (ep_...).") var id: String

            func run() async throws {
                try await DataCommandSupport.withRelayStore(settings) { try await $0.removeEndpoint(id: id) }
                print("Removed \(id).")
            }
        }

        struct Rotate: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "rotate-secret", abstract: "Give an endpoint a new secret; the old one keeps signing beside it for a day.")
            @OptionGroup var settings: SettingsOptions
            @Argument(help: "The endpoint id (ep_...).") var id: String

            func run() async throws {
                let rotation = try await DataCommandSupport.withRelayStore(settings) {
                    try await $0.rotateSecret(endpointID: id)
                }
                print("New secret (shown once): \(rotation.secret.value)")
                print("Until \(AdminViews.time(rotation.previousValidUntil)) deliveries carry a signature with the old secret too.")
            }
        }
    }

    struct Deliveries: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "deliveries", abstract: "List deliveries, newest first.")
        @OptionGroup var settings: SettingsOptions
        @Flag(help: "Only failed deliveries.") var failed = false
        @Option(help: "Only this state: pending, delivered or failed.") var state: String?
        @Option(help: "Only this endpoint id.") var endpoint: String?
        @Option(help: "How many to show (1-500).") var limit: Int = 50
        @Option(help: "The next_cursor printed by the previous page.") var cursor: String?
        @Flag(help: "Print JSON instead of a table.") var json = false

        func run() async throws {
            var chosen: RelayDeliveryState? = failed ? .failed : nil
            if let state {
                guard let parsed = RelayDeliveryState(rawValue: state) else { throw ValidationError("--state must be pending, delivered or failed.") }
                chosen = parsed
            }
            let query = RelayDeliveryQuery(state: chosen, endpointID: endpoint, page: PageQuery(limit: limit, cursor: cursor))
            let page = try await DataCommandSupport.withRelayStore(settings) { try await $0.deliveries(query) }
            try DataCommandSupport.printPage(
                "deliveries", page.items.map { RelayViews.Delivery($0) }, nextCursor: page.nextCursor, json: json,
                header: ["ID", "EVENT", "ENDPOINT", "TYPE", "STATE", "ATTEMPTS", "LAST ERROR"]
            ) { [String($0.id), String($0.eventID), $0.endpointID, $0.type, $0.state.rawValue, String($0.totalAttempts), $0.lastError ?? "-"] }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "retry", abstract: "Send one delivery again now, with the whole schedule ahead.")
        @OptionGroup var settings: SettingsOptions
        @Argument(help: "The delivery id.") var id: Int64

        func run() async throws {
            let delivery = try await DataCommandSupport.withRelayStore(settings) { try await $0.retry(deliveryID: id) }
            print("Delivery \(delivery.id) is pending again.")
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "replay", abstract: "Send every event since a time to an endpoint again (with their original webhook-ids).")
        @OptionGroup var settings: SettingsOptions
        @Argument(help: "The endpoint id.") var endpoint: String
        @Option(help: "Events received at or after (ISO 8601, a date, or seconds since 1970).") var since: String

        func run() async throws {
            let time = try DataCommandSupport.time(since, "--since")
            let count = try await DataCommandSupport.withRelayStore(settings) {
                try await $0.replay(endpointID: endpoint, since: time)
            }
            print("Queued \(count) deliveries for \(endpoint).")
        }
    }

    struct NewSecret: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "secret", abstract: "Print a new whsec_ secret for THINGBRIDGE_RELAY_SECRET.")

        func run() throws {
            print(StandardWebhookSigner.newSecret().value)
        }
    }
}
