import HTTPTypes

/// Header names ThingBridge reads or writes that HTTPTypes does not predefine.
extension HTTPField.Name {
    static let requestID = HTTPField.Name("X-Request-Id")!
    static let secFetchMode = HTTPField.Name("Sec-Fetch-Mode")!
    package static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
}
