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
