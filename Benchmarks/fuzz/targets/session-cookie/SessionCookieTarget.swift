import Foundation

/// The session cookie opener, against any cookie text and against changes to real cookies.
///
/// The input's first byte chooses a mode; the rest gives a session's fields and positions.
/// Properties:
/// - a cookie that was not sealed with a configured key never opens (any text; a cookie
///   sealed under another key; under the right key for the other purpose);
/// - a sealed session opens to exactly what was sealed (as its `Codable` form reads back),
///   under every codec that holds the key, first or not;
/// - a truncated cookie, a bit flipped anywhere in its bytes, or any other character in its
///   text never opens (unless the text still decodes to the very same bytes).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSessionCookie(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let mode = input.byte() % 5
    if mode == 4 {
        // Any text at all: never opens, never traps.
        let text = String(decoding: input.rest(), as: UTF8.self)
        property(configured.open(text, as: Session.self, purpose: .session) == nil, "arbitrary text \(text.debugDescription) opened as a session")
        property(configured.open(text, as: Session.self, purpose: .login) == nil, "arbitrary text \(text.debugDescription) opened as a login")
        return 0
    }
    let providers = ProviderID.builtIn + [ProviderID(rawValue: "gitlab")!]
    var account = LinkedAccount(
        provider: providers[Int(input.byte()) % providers.count], id: input.text(), name: input.text(),
        fullName: input.text(), thumbnail: nil, token: Secret(input.text(limit: 600)))
    if input.byte() % 2 == 1 {
        // A configured provider's expiring token with its refresh token.
        account.refreshToken = Secret(input.text(limit: 600))
        account.tokenLifetime = Int64(input.byte()) * 60
        account.tokenExpiresAt = Int64(input.byte()) << 16
    }
    let issued = Int64(input.byte()) << 24 | Int64(input.byte())
    let session = Session(id: input.text(limit: 40), accounts: [account], issuedAt: issued, lastSeenAt: issued + 1, expiresAt: issued + 3600)
    guard let sealed = try? configured.seal(session, purpose: .session) else {
        property(false, "a session could not be sealed")
        return 0
    }
    let expected = try? JSONDecoder().decode(Session.self, from: JSONEncoder().encode(session))
    property(configured.open(sealed, as: Session.self, purpose: .session) == expected, "a sealed session does not open to itself")
    property(rotated.open(sealed, as: Session.self, purpose: .session) == expected, "a sealed session does not open under a later key")
    property(configured.open(sealed, as: Session.self, purpose: .login) == nil, "a session cookie opened as a login cookie")
    property(stranger.open(sealed, as: Session.self, purpose: .session) == nil, "a cookie opened under a key that did not seal it")

    let text = Array(sealed.utf8)
    let position = input.index(below: text.count)
    switch mode {
    case 0:
        let truncated = String(decoding: text[..<position], as: UTF8.self)
        property(
            configured.open(truncated, as: Session.self, purpose: .session) == nil, "a cookie cut to \(position) of \(text.count) characters opened")
    case 1:
        var raw = Base64URL.decode(sealed)!
        let index = input.index(below: raw.count)
        raw[index] ^= 1 << (input.byte() % 8)
        property(configured.open(Base64URL.encode(raw), as: Session.self, purpose: .session) == nil, "a cookie with byte \(index) flipped opened")
    case 2:
        var changed = text
        changed[position] = input.byte()
        let changedText = String(decoding: changed, as: UTF8.self)
        if changed != text, configured.open(changedText, as: Session.self, purpose: .session) != nil {
            property(Base64URL.decode(changedText) == Base64URL.decode(sealed), "a cookie with character \(position) changed opened")
        }
    default:
        let extended = sealed + String(decoding: input.rest().prefix(8), as: UTF8.self)
        if extended != sealed, configured.open(extended, as: Session.self, purpose: .session) != nil {
            property(Base64URL.decode(extended) == Base64URL.decode(sealed), "a cookie with characters added opened")
        }
    }
    return 0
}

private let keyA = Secret(Data(repeating: 0xA1, count: 32).base64EncodedString())
private let keyB = Secret(Data((0..<32).map { UInt8($0) }).base64EncodedString())
private let keyC = Secret(Data(repeating: 0x5C, count: 32).base64EncodedString())
/// Seals with A; also opens B.
private let configured = SessionCookieCodec(keys: [keyA, keyB])
/// After a rotation: B seals, A still opens.
private let rotated = SessionCookieCodec(keys: [keyB, keyA])
private let stranger = SessionCookieCodec(keys: [keyC, keyB])
