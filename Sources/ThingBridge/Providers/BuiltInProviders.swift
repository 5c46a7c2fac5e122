// The lists that name the built-in providers: with the composition root's list of providers
// (``buildApplication``), the only places outside their folders that do.

extension ProviderID {
    /// The built-in providers, in the order pages list them.
    public static let builtIn: [ProviderID] = [.thingiverse, .flattr, .userecho]
}

extension ThingBridgeConfiguration {
    /// The settings sections of the built-in providers besides Thingiverse (whose settings are the
    /// server's own, as in the first release), in the order they are read and reported: with the
    /// composition root's list of providers, the one place outside their folders that names them.
    static let sectionTypes: [any ProviderSettingsSection.Type] = [FlattrSettings.self, UserEchoSettings.self]
}

extension EventProjections {
    /// What the built-in webhook sources make of their events (Thingiverse's orders), for the
    /// parts of the event log a tool opens without the server. The server takes its providers'
    /// own (``Provider/projections``), which add whether orders are confirmed.
    public static let builtIn: EventProjections = [OrderProjection()]
}

extension EventSource {
    /// The providers that send webhooks, by the name their events are stored under.
    public static let builtIn: [EventSource] = [.thingiverse, .userecho]
}
