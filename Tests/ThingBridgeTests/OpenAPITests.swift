import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import ThingBridge

/// `Public/openapi.yaml` describes exactly the routes the router knows.
@Suite struct OpenAPITests {
    /// `METHOD /path` for every operation under `paths:` (the file keeps one path per line, two-space indented).
    static func describedOperations() throws -> Set<String> {
        let text = try String(contentsOfFile: TestEnvironment.publicDirectory + "/openapi.yaml", encoding: .utf8)
        var operations: Set<String> = []
        var inPaths = false
        var currentPath: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" { inPaths = true; continue }
            guard inPaths else { continue }
            if !line.hasPrefix(" ") && !line.isEmpty { break }
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                currentPath = String(line.dropFirst(2).dropLast())
            } else if let currentPath, let method = ["get", "post", "patch", "delete", "put"].first(where: { line.hasPrefix("    \($0):") }) {
                operations.insert("\(method.uppercased()) \(currentPath)")
            }
        }
        return operations
    }

    @Test func everyRouteIsDescribedAndEveryDescriptionIsARoute() async throws {
        let described = try Self.describedOperations()
        try await TestServer.run(try await TestEnvironment.serverConfiguration()) { server, client in
            let routes = Set(
                server.routes
                    .filter { !$0.contains(" /sim/") && $0 != "GET /sim" }
                    .map { $0.replacingOccurrences(of: "/**", with: "/{path}") }
            )
            #expect(routes.subtracting(described).isEmpty, "not described: \(routes.subtracting(described).sorted())")
            #expect(described.subtracting(routes).isEmpty, "described but not routed: \(described.subtracting(routes).sorted())")
            let served = try await client.getOK("/openapi.yaml")
            #expect(served.text.hasPrefix("openapi: 3.1"))
        }
    }
}
