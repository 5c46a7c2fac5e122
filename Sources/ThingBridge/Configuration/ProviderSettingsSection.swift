/// A built-in provider's own settings: its section of `Config/thingbridge.json` (`flattr.*`) and
/// the environment variables over it, declared, read, validated and reported in the provider's
/// folder, so that the configuration holds every section without naming a provider.
protocol ProviderSettingsSection: Sendable {
    /// Its settings, in the order `thingbridge check-config` prints them.
    static var keys: [SettingKey] { get }
    /// Reads and validates the section.
    /// - Throws: ``ConfigurationError`` naming the first bad setting.
    init(settings: SettingsReader) throws
    /// What production requires of the section beyond valid values, checked after the server's own requirements.
    func checkProduction(settings: SettingsReader) throws
    /// Whether the section leaves a secret for development mode to generate and keep in the data folder.
    func needsDevelopmentSecrets(in configuration: ThingBridgeConfiguration) -> Bool
    /// The effective value of one of ``keys`` as `check-config` prints it: secrets show only whether they are set.
    func report(_ key: SettingKey, in configuration: ThingBridgeConfiguration) -> String
}

extension ProviderSettingsSection {
    func checkProduction(settings: SettingsReader) throws {}
    func needsDevelopmentSecrets(in configuration: ThingBridgeConfiguration) -> Bool { false }
}

extension ThingBridgeConfiguration {
    /// The section read for `Section`'s provider.
    func section<Section: ProviderSettingsSection>(_ type: Section.Type) -> Section {
        guard let section = providerSections.lazy.compactMap({ $0 as? Section }).first else {
            preconditionFailure("\(Section.self) is not in ThingBridgeConfiguration.sectionTypes")
        }
        return section
    }
}
