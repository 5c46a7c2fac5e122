import ArgumentParser
import Foundation
import Logging
import ThingBridge

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

/// ``say(_:)`` in the log's format: with `THINGBRIDGE_LOG_FORMAT=json` a note is a JSON object
/// (level `notice`) like every other line, so that a log shipper can parse the whole stream.
struct Say {
    let format: LogFormat

    func callAsFunction(_ line: String) {
        switch format {
        case .text:
            say(line)
        case .json:
            Logger(label: "thingbridge") { LineLogHandler(label: $0, format: .json) }.notice("\(line)")
        }
    }
}
