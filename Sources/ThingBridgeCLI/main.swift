import ArgumentParser
import NIOCore
import NIOPosix

// Swift concurrency runs on NIO's event loops: request handlers, the HTTP client and the
// database driver then share threads instead of hopping between two pools on every await.
// This must happen on the main thread before any task starts. ThingBridge does no blocking
// work on the global executor (SQLite runs on NIO's thread pool), which this requires.
NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()

/// Inside an async function the async `main` is chosen (top-level code would pick the
/// synchronous one, which only prints help for an async command).
func runCommandLine() async {
    await ThingBridgeCommand.main(nil)
}

await runCommandLine()
