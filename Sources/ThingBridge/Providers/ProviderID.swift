/// The providers of the family ThingBridge speaks to. The raw value is the one in URLs
/// (`/auth/flattr/login`, `/api/flattr/...`), settings and relayed event types.
public enum ProviderID: String, Sendable, Codable, CaseIterable, Comparable {
    case thingiverse
    case flattr
    case userecho

    /// The name people read in messages and on pages.
    public var displayName: String {
        switch self {
        case .thingiverse: "Thingiverse"
        case .flattr: "Flattr"
        case .userecho: "UserEcho"
        }
    }

    public static func < (lhs: ProviderID, rhs: ProviderID) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
