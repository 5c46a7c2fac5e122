import Testing
import ThingiverseSimulator

@Test func simulatorHasSeededUsers() {
    let simulator = ThingiverseSimulator(configuration: .init(webBaseURL: "http://sim.test", apiBaseURL: "http://sim.test/api", apps: []))
    #expect(!simulator.seededUsers.isEmpty)
}
