import HTTPTypes
import HummingbirdTesting
import NIOCore

/// A JSON request body with its content type, for the API's writes.
func jsonRequest(_ token: String, _ json: String) -> (headers: HTTPFields, body: ByteBuffer) {
    (bearer(token) + [.contentType: "application/json"], ByteBuffer(string: json))
}

/// A `multipart/form-data` body as a browser or S3 client builds it: the text fields in order,
/// then the file part called `file`.
func multipartUpload(fields: [(String, String)], filename: String, bytes: [UInt8]) -> (headers: HTTPFields, body: ByteBuffer) {
    let boundary = "----SimulatorTestBoundary7MA4YWxkTrZu0gW"
    var body: [UInt8] = []
    for (name, value) in fields {
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
    }
    body += Array(
        "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            .utf8)
    body += bytes
    body += Array("\r\n--\(boundary)--\r\n".utf8)
    return ([.contentType: "multipart/form-data; boundary=\(boundary)"], ByteBuffer(bytes: body))
}

extension TestClientProtocol {
    /// A request to the simulator's API (mounted at `/api`) with the token and an optional JSON body.
    func api(_ method: HTTPRequest.Method, _ path: String, token: String, json: String? = nil) async throws -> TestResponse {
        if let json {
            let request = jsonRequest(token, json)
            return try await execute(uri: "/api" + path, method: method, headers: request.headers, body: request.body)
        }
        return try await execute(uri: "/api" + path, method: method, headers: bearer(token))
    }
}

/// The path below `http://sim.test` of one of the fixture's absolute URLs.
func localPath(_ url: String) -> String {
    url.hasPrefix(Fixture.webBaseURL) ? String(url.dropFirst(Fixture.webBaseURL.count)) : url
}
