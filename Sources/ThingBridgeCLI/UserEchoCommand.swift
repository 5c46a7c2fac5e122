import ArgumentParser
import Foundation
import ThingBridge

/// `thingbridge userecho hooks list|sync`: the forum's hooks, registered through its API.
struct UserEchoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "userecho", abstract: "The app's UserEcho forum.", subcommands: [Hooks.self])

    struct Hooks: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hooks", abstract: "UserEcho's webhooks for this app.", subcommands: [List.self, Sync.self])
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the hooks registered in the UserEcho project.")

        @OptionGroup var settings: SettingsOptions

        func run() async throws {
            let configuration = try await settings.load()
            try await UserEchoCommand.registering(configuration) { registration, targetURL in
                let hooks = try await registration.list()
                for hook in hooks {
                    // The hook URL holds a secret: show whether it is ours, never the URL.
                    let whose = hook.target_url == targetURL ? "ThingBridge (this configuration)" : "another URL"
                    say("\(hook.id)  \(hook.event.padding(toLength: 28, withPad: " ", startingAt: 0))  \(whose)")
                }
                say("\(hooks.count) hook\(hooks.count == 1 ? "" : "s").")
            }
        }
    }

    struct Sync: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sync",
            abstract: "Register PUBLIC_URL/webhooks/userecho/SECRET for every UserEcho event (idempotent).")

        @OptionGroup var settings: SettingsOptions

        func run() async throws {
            let configuration = try await settings.load()
            try await UserEchoCommand.registering(configuration) { registration, targetURL in
                guard let targetURL else {
                    SettingsOptions.fail("USERECHO_WEBHOOK_SECRETS: is needed to register the hook URL /webhooks/userecho/SECRET")
                }
                let result = try await registration.sync(targetURL: targetURL)
                for event in result.added { say("registered  \(event)") }
                for event in result.alreadyThere { say("already     \(event)") }
                say("\(result.added.count) added, \(result.alreadyThere.count) already registered.")
            }
        }
    }

    static func registering(
        _ configuration: ThingBridgeConfiguration, _ body: (UserEchoHookRegistration, String?) async throws -> Void
    ) async throws {
        do {
            try await UserEchoHookRegistration.run(configuration: configuration, body)
        } catch let error as UserEchoHookRegistration.Unavailable {
            SettingsOptions.fail(error.description)
        } catch let error as UpstreamError {
            SettingsOptions.fail(error.description)
        }
    }
}
