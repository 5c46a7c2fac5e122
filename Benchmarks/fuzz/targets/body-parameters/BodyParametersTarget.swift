import Foundation
import HTTPTypes

/// The body parameters the proxy reads and adds (UserEcho's `sso_token`, Flattr's `_method`)
/// and its refusal of identity parameters, against any body, content type and query.
///
/// The input is a content-type choice, a query, a parameter value and then the body. A form or
/// query is also read as provider frameworks read one (Python's `parse_qsl`, PHP): split at the
/// bytes `&` and `=`, `+` a space, each valid `%XX` decoded. Properties:
/// - what the refusal lets through names no identity parameter, read that way or (JSON) by
///   Foundation's `JSONSerialization`, in the query or the body;
/// - what it lets through is a body `adding` can extend, and the extended body read back in its
///   own format holds the parameter with exactly the value given and everything it held before
///   (a JSON object: the same members and values; a form: the same fields, ours last);
/// - the names it reads from a JSON object are the member names Foundation reads.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBodyParameters(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let contentType = contentTypes[Int(input.byte()) % contentTypes.count]
    let query = input.text(limit: 256)
    let value = input.text(limit: 128)
    let body = input.rest()
    let buffer = body.isEmpty ? nil : ByteBuffer(bytes: body)
    let format = BodyParameters.format(contentType)

    let names = BodyParameters.names(in: buffer, contentType: contentType)
    let foundationMembers = format == .json ? foundationObjectNames(body) : nil
    if let names, format == .json, !body.isEmpty, let foundationMembers {
        property(names == Set(foundationMembers.map { $0.lowercased() }), "names \(names) but Foundation reads \(foundationMembers)")
    }

    // The refusal, with UserEcho's identity parameters (restated from UserEchoDelegation).
    let identity: Set<String> = ["sso_token", "user_sso_guid", "user_id", "access_token"]
    let passed = (try? ProxyController.refuseIdentityParameters(identity, query: [query], body: buffer, contentType: contentType)) != nil
    if passed {
        let inQuery = frameworkNames(Array(query.utf8)).filter { identity.contains($0.lowercased()) }
        property(inQuery.isEmpty, "the query \(query.debugDescription) passed with \(inQuery)")
        property(names != nil, "a body the proxy cannot read passed")
        let inBody: [String]
        switch format {
        case .form: inBody = frameworkNames(body).filter { identity.contains($0.lowercased()) }
        case .json: inBody = (foundationMembers ?? []).filter { identity.contains($0.lowercased()) }
        case .other: inBody = []
        }
        property(inBody.isEmpty, "the body \(String(decoding: body, as: UTF8.self).debugDescription) passed with \(inBody)")
    }

    // Adding the parameter to a body the refusal let through.
    guard passed, let names, !names.contains("sso_token") else { return 0 }
    var headers = HTTPHeaders()
    guard let added = BodyParameters.adding("sso_token", value, to: buffer, contentType: contentType, headers: &headers) else {
        property(false, "no sso_token could be added to a body that passed")
        return 0
    }
    let addedBytes = added.readableBytesView
    if body.isEmpty {
        property(headers.first(name: "content-type") == "application/x-www-form-urlencoded", "an empty body became a form without saying so")
        property(FormEncoding.decode(String(buffer: added)) == ["sso_token": value], "the new form reads \(String(buffer: added).debugDescription)")
        return 0
    }
    switch format {
    case .json:
        guard case .object(let before)? = try? JSONParser.parse(body), case .object(let after)? = try? JSONParser.parse(addedBytes) else {
            property(false, "the extended JSON \(String(buffer: added).debugDescription) does not read as an object")
            return 0
        }
        var expected = before
        expected["sso_token"] = .string(value)
        property(after == expected, "the extended object is \(after), not \(expected)")
    case .form:
        let before = frameworkPairs(body)
        let after = frameworkPairs(addedBytes)
        property(
            Array(after.dropLast()) == before && after.last == ["sso_token", value].map { Array($0.utf8) },
            "the extended form reads \(String(buffer: added).debugDescription)")
        property(FormEncoding.decode(String(buffer: added))["sso_token"] == value, "the proxy's own reader misses the added value")
    case .other:
        property(false, "a body of another format passed")
    }
    return 0
}

private let contentTypes: [String?] = [
    "application/json", "application/x-www-form-urlencoded", "application/json; charset=utf-8",
    "APPLICATION/X-WWW-FORM-URLENCODED; charset=UTF-8", "text/plain", nil,
]

/// The member names of a JSON object as Foundation reads it, or nil when it reads no object.
private func foundationObjectNames(_ body: [UInt8]) -> [String]? {
    guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else { return nil }
    return Array(object.keys)
}
