import Foundation

/// The client credentials of an `Authorization: Basic` header, as OAuth token endpoints take
/// them. RFC 6749 form-encodes both parts first, which few clients do, so `matches` accepts
/// either spelling.
struct BasicCredentials: Sendable, Equatable {
    var clientID: String
    var clientSecret: String

    /// `Basic base64(client_id:client_secret)`; `nil` for no header, another scheme or a value
    /// that is not such a pair.
    init?(header: String?) {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
            let data = Data(base64Encoded: String(parts[1]).filter { $0 != " " }),
            let decoded = String(data: data, encoding: .utf8),
            let colon = decoded.firstIndex(of: ":")
        else { return nil }
        self.clientID = String(decoded[..<colon])
        self.clientSecret = String(decoded[decoded.index(after: colon)...])
    }

    /// Whether these are the client's credentials, sent plainly or form-encoded.
    func matches(clientID: String, clientSecret: String) -> Bool {
        let idMatches = self.clientID == clientID || FormEncoding.decodeComponent(self.clientID) == clientID
        let secretMatches =
            self.clientSecret == clientSecret || FormEncoding.decodeComponent(self.clientSecret) == clientSecret
        return idMatches && secretMatches
    }
}
