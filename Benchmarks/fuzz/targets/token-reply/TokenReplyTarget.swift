import Foundation

/// Token and user-info replies (JSON, a form, or markup) against any body.
///
/// The body is judged as `UpstreamClient` does (its three-line `classify` is restated here:
/// markup first, then the reply): a web page, a token, or a refusal, exactly one.
/// Properties:
/// - a token is never taken from a page of markup: a body whose first character after any
///   Unicode whitespace (and byte order marks) is `<` is a web page or has no token;
/// - a token is 1 to 512 printable ASCII characters (it goes into an `Authorization` header);
/// - a refusal carries its `error` text;
/// - the same token text sent as the documented form and as JSON gives the same token;
/// - the form decoder reads back what the form encoder wrote;
/// - a profile (`/users/me`) or tokeninfo reply takes its id as the JSON reader reads it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTokenReply(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let body = bytes(data, size)
    let buffer = ByteBuffer(bytes: body)
    let markup = ReplyBody.isMarkup(buffer)
    let reply = TokenReply(body: buffer)

    if startsWithMarkup(body) {
        property(markup || reply.accessToken == nil, "a token was taken from a page of markup")
    }
    if !markup, let token = reply.accessToken {
        property(
            (1...512).contains(token.value.utf8.count) && token.value.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F },
            "token \(token.value.debugDescription) is not a printable word")
    }
    if let error = reply.error {
        property(!error.isEmpty, "an empty error counts as a refusal")
    }

    // The token as a form and as JSON.
    let text = String(decoding: body.prefix(600), as: UTF8.self)
    let form = TokenReply(body: ByteBuffer(string: FormEncoding.encode([("access_token", text), ("token_type", "bearer")])))
    var json = ""
    JSONValue.writeString(text, to: &json)
    let object = TokenReply(body: ByteBuffer(string: #"{"access_token":"# + json + #","token_type":"bearer"}"#))
    property(
        form.accessToken == object.accessToken,
        "form and JSON replies give different tokens for \(text.debugDescription): \(form.accessToken?.value.debugDescription ?? "none") and \(object.accessToken?.value.debugDescription ?? "none")"
    )
    property(form.error == nil && object.error == nil, "a reply without error reads as refused")

    // Form round trip, with fields cut from the input.
    var input = FuzzInput(data, size)
    var fields: [(String, String)] = []
    var seen = Set<String>()
    while !input.isEmpty && fields.count < 8 {
        let name = input.text(limit: 64)
        let value = input.text(limit: 128)
        if seen.insert(name).inserted { fields.append((name, value)) }
    }
    let decoded = FormEncoding.decode(FormEncoding.encode(fields))
    property(
        decoded.count == fields.count && fields.allSatisfy { decoded[$0.0].map(Array.init) == Array($0.1) },
        "form round trip changed \(fields) into \(decoded)")

    checkProfile(body, markup: markup)
    return 0
}

/// Whether `body` is a page of markup by a reading independent of `ReplyBody`: its first
/// character after whitespace (any Unicode white space, byte order marks) is `<`.
private func startsWithMarkup(_ body: [UInt8]) -> Bool {
    let text = String(decoding: body, as: UTF8.self)
    let first = text.unicodeScalars.first { !$0.properties.isWhitespace && $0 != "\u{FEFF}" }
    return first == "<"
}

/// `/users/me` and tokeninfo replies, read with Foundation's decoder as ThingiverseSignIn does.
private func checkProfile(_ body: [UInt8], markup: Bool) {
    guard !markup else { return }
    guard let profile = try? JSONDecoder().decode(UserProfile.self, from: Data(body)) else { return }
    guard case .object(let members)? = try? JSONParser.parse(body) else { return }
    switch members["id"] {
    case .string(let id)?:
        property(profile.id == id, "profile id \(profile.id.debugDescription) but the body says \(id.debugDescription)")
    case .number(let text)?:
        if let id = Int64(text) {
            property(profile.id == String(id), "profile id \(profile.id.debugDescription) but the body says \(text)")
        }
    default:
        break
    }
}
