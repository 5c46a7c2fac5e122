/// Bytes the simulator stores and serves below `{api}/_storage/`, as a CDN would.
struct StoredObject: Sendable {
    var bytes: [UInt8]
    var contentType: String
}
