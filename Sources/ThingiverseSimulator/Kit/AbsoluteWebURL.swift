/// The check a simulated API makes before it keeps a URL it will call or link to later (a
/// webhook's target, a thing's URL).
enum AbsoluteWebURL {
    /// Whether `text` is an absolute `http` or `https` URL with a host and no spaces.
    static func isValid(_ text: String) -> Bool {
        let lowered = text.lowercased()
        guard let scheme = ["http://", "https://"].first(where: { lowered.hasPrefix($0) }) else { return false }
        let host = text.dropFirst(scheme.count).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return !host.isEmpty && !text.contains(" ") && !host.hasPrefix(":")
    }
}
