import ArgumentParser
import Foundation

/// `thingbridge`: the ThingBridge server and its operator commands.
struct ThingBridgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "thingbridge",
        abstract: "The backend for Thingiverse web apps: sign-in, order webhooks and an API proxy.",
        subcommands: [
            ServeCommand.self, MigrateCommand.self, EventsCommand.self, OrdersCommand.self, CheckConfigCommand.self, KeysCommand.self,
            SimulateCommand.self, UserEchoCommand.self, RelayCommand.self, BackupCommand.self,
        ],
        defaultSubcommand: ServeCommand.self
    )
}

/// Writes a line to standard output at once (unbuffered), so notes reach a pipe or a log file
/// in order with the log lines.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
