import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import ThingiverseSimulator

/// Walks every endpoint of the Thingiverse REST reference, as ThingBridge's allow-list names
/// them, against a fresh simulator each, signed in as alice_prints with seeded ids.
@Suite struct EndpointCoverageTests {
    /// ThingBridge's `EndpointAllowList.thingiverseREST`, copied (the simulator must not import
    /// ThingBridge): one line per endpoint of the reference.
    static let referenceEndpoints: [String] = [
        "GET /users/{username}",
        "PATCH /users/{username}",
        "GET /users/{username}/things",
        "GET /users/{username}/likes",
        "GET /users/{username}/copies",
        "GET /users/{username}/collections",
        "GET /users/{username}/downloads",
        "GET /users/{username}/event-count",
        "POST /users/{username}/followers",
        "DELETE /users/{username}/followers",
        "POST /users/{username}/avatar-image",
        "POST /users/{username}/cover-image",
        "GET /things/{id}",
        "GET /things/{id}/images/{image_id}",
        "GET /things/{id}/images",
        "PATCH /things/{id}/images/{image_id}",
        "DELETE /things/{id}/images/{image_id}",
        "GET /things/{id}/files/{file_id}",
        "GET /things/{id}/files",
        "DELETE /things/{id}/files/{file_id}",
        "GET /things/{id}/likes",
        "GET /things/{id}/ancestors",
        "GET /things/{id}/derivatives",
        "GET /things/{id}/tags",
        "GET /things/{id}/categories",
        "PATCH /things/{id}",
        "POST /things",
        "DELETE /things/{id}",
        "POST /things/{id}/files",
        "POST /things/{id}/publish",
        "GET /things/{id}/copies",
        "POST /things/{id}/copies",
        "POST /things/{id}/likes",
        "DELETE /things/{id}/likes",
        "GET /things/{id}/package-url",
        "GET /things/{id}/prints",
        "GET /things/{id}/threaded-comments",
        "GET /things/{id}/comments",
        "POST /things/{id}/comments",
        "GET /files/{id}",
        "POST /files/{id}/finalize",
        "GET /files/{id}/download",
        "GET /copies/{id}",
        "GET /copies",
        "GET /copies/{id}/images",
        "POST /copies/{id}/images",
        "PATCH /copies/{id}/images/{image_id}",
        "DELETE /copies/{id}/images/{image_id}",
        "PATCH /copies/{id}",
        "DELETE /copies/{id}",
        "POST /copies/{id}/likes",
        "DELETE /copies/{id}/likes",
        "GET /copies/{id}/threaded-comments",
        "GET /copies/{id}/comments",
        "POST /copies/{id}/comments",
        "GET /collections/{id}",
        "GET /collections",
        "GET /collections/{id}/things",
        "POST /collections",
        "POST /collections/{collection_id}/thing/{thing_id}",
        "DELETE /collections/{collection_id}/thing/{thing_id}",
        "PATCH /collections/{id}",
        "DELETE /collections/{id}",
        "GET /comments/{id}",
        "POST /comments",
        "POST /comments/{id}/reply",
        "PATCH /comments/{id}",
        "DELETE /comments/{id}",
        "GET /newest",
        "GET /popular",
        "GET /featured",
        "GET /verified",
        "GET /search/{term}",
        "GET /search",
        "GET /search/{term}/library",
        "GET /categories/{category_slug}",
        "GET /categories",
        "GET /categories/{category_slug}/things",
        "GET /tags/{tag}/things",
        "GET /tags/{tag}",
        "GET /tags",
        "GET /groups/{id}",
        "GET /groups",
        "POST /groups",
        "POST /groups/{id}/image",
        "PATCH /groups/{id}",
        "GET /groups/{id}/group-topics",
        "POST /groups/{id}/group-topics",
        "GET /groups/{id}/things",
        "POST /groups/{id}/things/{thing_id}",
        "DELETE /groups/{id}/things/{thing_id}",
        "PATCH /groups/{id}/things/{thing_id}",
        "GET /groups/{id}/members",
        "POST /groups/{group_id}/members",
        "DELETE /groups/{group_id}/members/{user_id}",
        "DELETE /groups/{group_id}/members",
        "GET /group-topics/{id}",
        "PATCH /group-topics/{id}",
        "POST /group-topics/{id}/pin",
        "DELETE /group-topics/{id}/pin",
        "GET /group-topics/{id}/threaded-comments",
        "GET /group-topics/{id}/comments",
        "POST /group-topics/{id}/comments",
        "GET /orders/{id}",
        "GET /orders",
        "PATCH /orders/{id}",
    ]

    @Test func listMatchesTheReferenceCount() {
        #expect(Self.referenceEndpoints.count == 106)
        #expect(Set(Self.referenceEndpoints).count == Self.referenceEndpoints.count)
    }

    @Test(arguments: referenceEndpoints)
    func endpointAnswersForSeededData(_ endpoint: String) async throws {
        let simulator = Fixture.simulator()
        let token = simulator.token(for: "alice_prints")
        let request = SeedExamples.request(for: endpoint)
        #expect(!request.path.contains("{"), "unfilled parameter in \(request.path)")
        try await withRouter(simulator) { client in
            let response = try await client.api(request.method, request.path, token: token, json: request.body)
            #expect(response.status != .notFound, "\(endpoint) -> \(request.path): \(response.text)")
            #expect(response.status != .methodNotAllowed, "\(endpoint) has no simulator route")
            #expect((200..<400).contains(response.status.code), "\(endpoint) -> \(response.status): \(response.text)")
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true, "\(endpoint) answers JSON")
            #expect(response.header("X-RateLimit-Remaining") != nil, "\(endpoint) carries the rate limit headers")
        }
    }
}
