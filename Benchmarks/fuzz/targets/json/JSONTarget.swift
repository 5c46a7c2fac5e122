import Foundation

/// The JSON reader (webhook bodies, token replies, user-info replies) against any bytes.
///
/// Properties:
/// - never crashes or hangs (libFuzzer's timeout);
/// - what it accepts, Foundation's `JSONSerialization` accepts too, with the same structure
///   (kinds, array lengths, member names, string scalars, numbers' values);
/// - what it refuses and Foundation accepts is refused for a documented reason only (a
///   duplicate member, nesting deeper than 64, a lone surrogate, or a trailing comma, which
///   Foundation tolerates), and Foundation's own output for it reads here;
/// - a number keeps its exact text: valid RFC 8259 number grammar, found verbatim in the input;
/// - nesting never exceeds `JSONParser.maximumDepth`, and 64 levels pass while 65 do not;
/// - `serialized` parses back to the same value.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    checkDepthLimitOnce()
    let input = bytes(data, size)
    let ours: JSONValue?
    let refusal: JSONParser.Failure?
    do {
        ours = try JSONParser.parse(input)
        refusal = nil
    } catch {
        ours = nil
        refusal = error
    }
    let theirs = try? JSONSerialization.jsonObject(with: Data(input), options: [.fragmentsAllowed])

    if let ours {
        property(depth(of: ours) <= JSONParser.maximumDepth, "accepted JSON nested deeper than \(JSONParser.maximumDepth)")
        let inputText = String(decoding: input, as: UTF8.self)
        forEachNumber(in: ours) { text in
            property(isJSONNumber(text), "number text \(text) is not an RFC 8259 number")
            property(inputText.contains(text), "number text \(text) is not the input's own text")
        }
        let again = try? JSONParser.parse(Array(ours.serialized.utf8))
        property(again == ours, "serialized form \(ours.serialized) does not parse back to the same value")
        if let theirs {
            let difference = compare(ours, theirs, path: "$")
            property(difference == nil, "Foundation reads the same JSON differently: \(difference ?? "")")
        } else {
            // Foundation gives up on numbers outside Double's range; that is its limit, not ours.
            property(containsHugeNumber(ours), "accepted by JSONParser, refused by JSONSerialization")
        }
    } else if let theirs, isPlainUTF8(input) {
        let reason = refusal?.reason ?? ""
        // Foundation also reads a trailing comma (`[1,]`, `{"a":1,}`), which RFC 8259 does not allow.
        let trailingComma = reason.hasSuffix("found ']'") || reason.hasSuffix("found '}'")
        let documented = ["appears twice", "nested deeper", "surrogate"].contains { reason.contains($0) }
        property(documented || trailingComma, "refused (\(reason)) although JSONSerialization accepts it")
        // Whatever Foundation read, written back by Foundation as standard JSON, reads here too.
        if !documented, let written = try? JSONSerialization.data(withJSONObject: theirs, options: [.fragmentsAllowed]) {
            let again = try? JSONParser.parse(Array(written))
            property(again != nil, "Foundation's own JSON \(String(decoding: written, as: UTF8.self)) is refused")
        }
    }
    return 0
}

nonisolated(unsafe) private var depthChecked = false

private func checkDepthLimitOnce() {
    guard !depthChecked else { return }
    depthChecked = true
    let limit = JSONParser.maximumDepth
    let deepest = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
    let tooDeep = String(repeating: "{\"a\":", count: limit + 1) + "1" + String(repeating: "}", count: limit + 1)
    property((try? JSONParser.parse(Array(deepest.utf8))) != nil, "\(limit) levels of nesting are refused")
    property((try? JSONParser.parse(Array(tooDeep.utf8))) == nil, "\(limit + 1) levels of nesting are accepted")
}

/// UTF-8 that Foundation will not read as UTF-16 or UTF-32 (no NUL, no byte order mark).
private func isPlainUTF8(_ input: [UInt8]) -> Bool {
    String(validating: input, as: UTF8.self) != nil && !input.contains(0) && !(input.starts(with: [0xEF, 0xBB, 0xBF]))
}

private func depth(of value: JSONValue) -> Int {
    switch value {
    case .array(let elements): 1 + (elements.map(depth(of:)).max() ?? 0)
    case .object(let members): 1 + (members.values.map(depth(of:)).max() ?? 0)
    default: 0
    }
}

private func forEachNumber(in value: JSONValue, _ body: (String) -> Void) {
    switch value {
    case .number(let text): body(text)
    case .array(let elements): elements.forEach { forEachNumber(in: $0, body) }
    case .object(let members): members.values.forEach { forEachNumber(in: $0, body) }
    default: break
    }
}

private func containsHugeNumber(_ value: JSONValue) -> Bool {
    var huge = false
    forEachNumber(in: value) { text in
        if let double = Double(text), !double.isFinite { huge = true }
    }
    return huge
}

/// RFC 8259's `number` rule, written out independently of the parser.
private func isJSONNumber(_ text: String) -> Bool {
    var scalars = Array(text.utf8)[...]
    func digits() -> Int {
        var count = 0
        while let first = scalars.first, first >= 0x30, first <= 0x39 { scalars.removeFirst(); count += 1 }
        return count
    }
    if scalars.first == UInt8(ascii: "-") { scalars.removeFirst() }
    if scalars.first == UInt8(ascii: "0") {
        scalars.removeFirst()
    } else {
        guard let first = scalars.first, first >= 0x31, first <= 0x39 else { return false }
        _ = digits()
    }
    if scalars.first == UInt8(ascii: ".") {
        scalars.removeFirst()
        guard digits() > 0 else { return false }
    }
    if scalars.first == UInt8(ascii: "e") || scalars.first == UInt8(ascii: "E") {
        scalars.removeFirst()
        if scalars.first == UInt8(ascii: "+") || scalars.first == UInt8(ascii: "-") { scalars.removeFirst() }
        guard digits() > 0 else { return false }
    }
    return scalars.isEmpty
}

/// nil when Foundation's object matches ours, else where and how they differ.
private func compare(_ ours: JSONValue, _ theirs: Any, path: String) -> String? {
    switch ours {
    case .null:
        return theirs is NSNull ? nil : "\(path): null vs \(type(of: theirs))"
    case .bool(let flag):
        guard let number = theirs as? NSNumber, number.boolValue == flag else { return "\(path): \(flag) vs \(theirs)" }
        return nil
    case .number(let text):
        guard let number = theirs as? NSNumber else { return "\(path): number \(text) vs \(type(of: theirs))" }
        guard let expected = Double(text), expected.isFinite else { return nil }
        let actual = number.doubleValue
        let scale = max(abs(expected), abs(actual), Double.leastNormalMagnitude)
        return abs(expected - actual) / scale <= 1e-12 || (abs(expected) < 1e-300 && abs(actual) < 1e-300)
            ? nil : "\(path): number \(text) vs \(actual)"
    case .string(let text):
        guard let string = theirs as? String else { return "\(path): string vs \(type(of: theirs))" }
        return withoutBOM(string) == withoutBOM(text) ? nil : "\(path): string \(text.debugDescription) vs \(string.debugDescription)"
    case .array(let elements):
        guard let array = theirs as? [Any] else { return "\(path): array vs \(type(of: theirs))" }
        guard array.count == elements.count else { return "\(path): \(elements.count) elements vs \(array.count)" }
        for (index, element) in elements.enumerated() {
            if let difference = compare(element, array[index], path: "\(path)[\(index)]") { return difference }
        }
        return nil
    case .object(let members):
        guard let object = theirs as? [String: Any] else { return "\(path): object vs \(type(of: theirs))" }
        let names = Dictionary(members.keys.map { (withoutBOM($0), $0) }, uniquingKeysWith: { first, _ in first })
        let theirNames = Dictionary(object.keys.map { (withoutBOM($0), $0) }, uniquingKeysWith: { first, _ in first })
        guard names.count == theirNames.count else { return "\(path): \(members.count) members vs \(object.count)" }
        // Foundation merged names that differ only in U+FEFF ("\u{FEFF}a" and "a"): which value it kept is its own affair.
        guard names.count == members.count, theirNames.count == object.count else { return nil }
        for (name, key) in names {
            guard let theirKey = theirNames[name], let other = object[theirKey] else { return "\(path): member \(key.debugDescription) missing" }
            if let difference = compare(members[key]!, other, path: "\(path).\(key)") { return difference }
        }
        return nil
    }
}

/// The scalars of `text` without U+FEFF: Foundation's JSON reader (Linux) drops a U+FEFF that
/// starts a string, a member name or any part of one after an escape; the reader keeps them
/// all, as RFC 8259 says, so the two are compared without them.
private func withoutBOM(_ text: String) -> [Unicode.Scalar] {
    text.unicodeScalars.filter { $0 != "\u{FEFF}" }
}
