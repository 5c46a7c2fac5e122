/// How long stored rows are kept (`THINGBRIDGE_RETENTION_*`); 0 days keeps them forever.
///
/// Pruning never changes an order's state, its facts or the figures (an order keeps what its
/// pruned events added up to), and never touches a relay delivery still pending or the event
/// it belongs to.
public struct RetentionPolicy: Sendable, Equatable {
    /// Webhook events with their raw bodies (default: forever).
    public var eventsDays: Int
    /// Delivered and failed relay deliveries with their attempts (default: 30).
    public var relayDays: Int
    /// Quarantined bodies (default: 90).
    public var quarantineDays: Int

    public static let defaults = RetentionPolicy(eventsDays: 0, relayDays: 30, quarantineDays: 90)

    public init(eventsDays: Int, relayDays: Int, quarantineDays: Int) {
        self.eventsDays = eventsDays
        self.relayDays = relayDays
        self.quarantineDays = quarantineDays
    }

    /// Whether anything is ever pruned.
    public var prunesAnything: Bool { eventsDays > 0 || relayDays > 0 || quarantineDays > 0 }
}
