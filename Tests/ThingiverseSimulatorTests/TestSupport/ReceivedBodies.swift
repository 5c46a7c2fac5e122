/// Remembers every body a test receiver got.
actor ReceivedBodies {
    private(set) var bodies: [[UInt8]] = []

    /// Stores the body; returns whether an identical body had arrived before.
    func record(_ body: [UInt8]) -> Bool {
        defer { bodies.append(body) }
        return bodies.contains(body)
    }
}
