import Logging
import ServiceLifecycle

/// Keeps this instance's ``SessionRevocations`` in step with the database while it serves:
/// with PostgreSQL it listens for other instances' logouts (`LISTEN`, reconnecting after a lost
/// connection and catching up each time it listens again), and on both databases it catches up
/// every `interval`, which bounds how long a lost notification can matter.
struct RevocationSync: Service {
    let revocations: SessionRevocations
    let interval: Duration
    let logger: Logger
    /// The wait before listening again after the listening connection was lost.
    var reconnectDelay: Duration = .seconds(1)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await catchUpPeriodically() }
                if revocations.database.dialect == .postgres {
                    group.addTask { await listen() }
                }
            }
        }
    }

    private func catchUpPeriodically() async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            await catchUp(reason: "periodic")
        }
    }

    private func listen() async {
        while !Task.isCancelled {
            do {
                try await revocations.database.listen(on: SessionRevocations.channel) {
                    // Whatever was announced while nobody listened is read now.
                    await catchUp(reason: "listening")
                } receive: { payload in
                    revocations.received(payload)
                }
            } catch {
                guard !Task.isCancelled else { return }
                logger.warning(
                    "Lost the connection that hears other instances' logouts; listening again",
                    metadata: ["error": "\(Database.describe(error))"])
            }
            do {
                try await Task.sleep(for: reconnectDelay)
            } catch {
                return
            }
        }
    }

    private func catchUp(reason: String) async {
        do {
            try await revocations.catchUp()
        } catch {
            logger.warning(
                "Could not read the sessions other instances ended; trying again",
                metadata: ["reason": "\(reason)", "error": "\(Database.describe(error))"])
        }
    }
}
