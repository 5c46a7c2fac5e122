import Synchronization

/// Metric handles kept by their labels, so the hot paths look a handle up in one small
/// dictionary instead of asking the Prometheus registry, which validates the name, the labels
/// and the help text and builds a label key on every call.
///
/// Keys must come from bounded sets (route templates, statuses, allow-list endpoints), as the
/// metrics' labels already do.
final class MetricHandles<Key: Hashable & Sendable, Handle: Sendable>: Sendable {
    private let handles = Mutex<[Key: Handle]>([:])

    /// The handle for `key`, made by `make` the first time.
    func handle(_ key: Key, make: () -> Handle) -> Handle {
        if let handle = handles.withLock({ $0[key] }) { return handle }
        let handle = make()
        handles.withLock { $0[key] = handle }
        return handle
    }
}
