/// A setting that stops ThingBridge from starting, named so an operator can fix it.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The environment variable that holds the setting, e.g. `THINGBRIDGE_SESSION_KEYS`.
    public let setting: String
    /// What is wrong with it, as a sentence. Never contains the value of a secret.
    public let problem: String

    public init(setting: String, problem: String) {
        self.setting = setting
        self.problem = problem
    }

    public var description: String { "\(setting): \(problem)" }
}
