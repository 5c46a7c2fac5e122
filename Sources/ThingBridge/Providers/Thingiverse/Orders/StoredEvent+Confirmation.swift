extension StoredEvent {
    /// Whether the event has been checked against Thingiverse's API (``OrderProjection``'s
    /// shown column; `unconfirmed` where the log was read without it).
    public var confirmation: ConfirmationStatus {
        if case .string(let status)? = self[shown: "confirmation"] { return ConfirmationStatus(rawValue: status) ?? .unconfirmed }
        return .unconfirmed
    }

    /// Differing fields for a mismatch, or the last error while pending.
    public var confirmationDetail: JSONValue? {
        self[shown: "confirmation_detail"].flatMap { $0 == .null ? nil : $0 }
    }

    /// How many checks were made.
    public var confirmationAttempts: Int {
        if case .number(let count)? = self[shown: "confirmation_attempts"] { return Int(count) ?? 0 }
        return 0
    }
}
