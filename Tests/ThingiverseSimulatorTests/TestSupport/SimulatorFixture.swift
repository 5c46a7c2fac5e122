import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ThingiverseSimulator

/// Test apps and configurations; every test builds its own simulator from these.
enum Fixture {
    static let webBaseURL = "http://sim.test"
    static let apiBaseURL = "http://sim.test/api"

    /// The app under test. Its name has HTML-special characters so escaping is exercised.
    static let app = SimulatorApp(
        name: "Print <Shop> & \"Co\"", clientID: "client-one", clientSecret: "secret-one",
        redirectURI: "https://app.example/auth/callback")
    static let otherApp = SimulatorApp(
        name: "Other App", clientID: "client-two", clientSecret: "secret-two",
        redirectURI: "https://other.example/callback")

    /// A configuration with both apps; `adjust` can shrink limits for a test.
    static func configuration(_ adjust: (inout SimulatorConfiguration) -> Void = { _ in }) -> SimulatorConfiguration {
        var configuration = SimulatorConfiguration(
            webBaseURL: webBaseURL, apiBaseURL: apiBaseURL, apps: [app, otherApp])
        adjust(&configuration)
        return configuration
    }

    static func simulator(_ adjust: (inout SimulatorConfiguration) -> Void = { _ in }) -> ThingiverseSimulator {
        ThingiverseSimulator(configuration: configuration(adjust))
    }
}

/// `Authorization: Bearer TOKEN`
func bearer(_ token: String) -> HTTPFields {
    [.authorization: "Bearer \(token)"]
}
