import ArgumentParser

/// `thingbridge`: the ThingBridge server and its operator commands.
@main
struct ThingBridgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "thingbridge",
        abstract: "The backend for Thingiverse web apps: sign-in, order webhooks and an API proxy.",
        subcommands: [ServeCommand.self, MigrateCommand.self, EventsCommand.self, OrdersCommand.self, CheckConfigCommand.self, KeysCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
