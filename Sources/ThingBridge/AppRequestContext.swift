import Hummingbird

/// The request context of every ThingBridge route.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }

    /// Bodies collected without an explicit limit stop at 1 MiB (413 above it).
    public var maxUploadSize: Int { 1024 * 1024 }
}
