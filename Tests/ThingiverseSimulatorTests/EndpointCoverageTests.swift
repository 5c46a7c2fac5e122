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

    /// The seeded record each parameter names, by the path's first segment; `concrete` adjusts
    /// the few endpoints that need another one (someone else's thing to like, a thing not yet
    /// in the collection...).
    static let seededParameters: [String: [String: String]] = [
        "users": ["username": "alice_prints"],
        "things": [
            "id": String(seededThingID(21)), "image_id": String(seededThingID(21) * 10 + 1),
            "file_id": String(seededThingID(21) * 10 + 5),
        ],
        "files": ["id": String(seededThingID(21) * 10 + 5)],
        "copies": ["id": "900001", "image_id": "9000011"],
        "collections": ["id": "30004", "collection_id": "30004", "thing_id": String(seededThingID(1))],
        "comments": ["id": "2000100"],
        "search": ["term": "planter"],
        "categories": ["category_slug": "household"],
        "tags": ["tag": "garden"],
        "groups": ["id": "5002", "group_id": "5002", "thing_id": String(seededThingID(20)), "user_id": "50577"],
        "group-topics": ["id": "6003"],
        "orders": ["id": "1234"],
    ]

    /// The request for one endpoint: its path with seeded ids, and the body it needs.
    static func concrete(_ endpoint: String) -> (method: HTTPRequest.Method, path: String, body: String?) {
        let parts = endpoint.split(separator: " ", maxSplits: 1).map(String.init)
        let method = HTTPRequest.Method(parts[0])!
        var values = seededParameters[String(parts[1].split(separator: "/")[0])] ?? [:]
        switch endpoint {
        case "POST /users/{username}/followers": values["username"] = "bob_builds"
        case "DELETE /users/{username}/followers": values["username"] = "makerbot"
        case "POST /things/{id}/likes": values["id"] = String(seededThingID(1))
        case "DELETE /things/{id}/likes": values["id"] = String(seededThingID(2))
        case "POST /files/{id}/finalize": values["id"] = "7000001"
        case "POST /copies/{id}/likes": values["id"] = "900004"
        case "DELETE /copies/{id}/likes": values["id"] = "900003"
        case "DELETE /collections/{collection_id}/thing/{thing_id}": values["thing_id"] = String(seededThingID(25))
        case "POST /groups/{group_id}/members": values["group_id"] = "5003"
        case "DELETE /groups/{group_id}/members": values["group_id"] = "5001"
        case "DELETE /groups/{id}/things/{thing_id}", "PATCH /groups/{id}/things/{thing_id}":
            values["thing_id"] = String(seededThingID(27))
        default: break
        }
        var path = parts[1]
        for (name, value) in values {
            path = path.replacingOccurrences(of: "{\(name)}", with: value)
        }
        let bodies: [String: String] = [
            "PATCH /users/{username}": #"{"bio":"Walking every endpoint."}"#,
            "POST /users/{username}/avatar-image": #"{"filename":"me.png"}"#,
            "POST /users/{username}/cover-image": #"{"filename":"cover.jpg"}"#,
            "PATCH /things/{id}/images/{image_id}": #"{"rank":2}"#,
            "PATCH /things/{id}": #"{"description":"Now with a drainage hole."}"#,
            "POST /things": #"{"name":"Walk Test Thing","license":"cc","category":"Household"}"#,
            "POST /things/{id}/files": #"{"filename":"planter_v2.stl"}"#,
            "POST /things/{id}/copies": #"{"filename":"my_make.jpg"}"#,
            "POST /things/{id}/comments": #"{"body":"A comment from the walk."}"#,
            "POST /copies/{id}/images": #"{"filename":"another_angle.png"}"#,
            "PATCH /copies/{id}/images/{image_id}": #"{"featured":true}"#,
            "PATCH /copies/{id}": #"{"description":"Printed again in PETG."}"#,
            "POST /copies/{id}/comments": #"{"body":"Nice one."}"#,
            "POST /collections": #"{"name":"Walk Picks","description":"Things met on the walk."}"#,
            "POST /collections/{collection_id}/thing/{thing_id}": #"{"description":"A classic."}"#,
            "PATCH /collections/{id}": #"{"name":"Kitchen Heroes"}"#,
            "POST /comments": #"{"body":"Hello.","target_type":"thing","target_id":\#(seededThingID(1))}"#,
            "POST /comments/{id}/reply": #"{"body":"Replying."}"#,
            "PATCH /comments/{id}": #"{"body":"Edited."}"#,
            "POST /groups": #"{"name":"Walkers","description":"People who walk APIs.","slug":"walkers"}"#,
            "POST /groups/{id}/image": #"{"filename":"group.png"}"#,
            "PATCH /groups/{id}": #"{"description":"Weatherproof prints only."}"#,
            "POST /groups/{id}/group-topics": #"{"name":"PETG or ASA?","body":"For a south-facing balcony."}"#,
            "PATCH /groups/{id}/things/{thing_id}": #"{"rank":1}"#,
            "PATCH /group-topics/{id}": #"{"body":"My PLA planter warped in July. Any ideas?"}"#,
            "POST /group-topics/{id}/comments": #"{"body":"ASA, definitely."}"#,
            "PATCH /orders/{id}": #"{"is_shipped":true}"#,
        ]
        return (method, path, bodies[endpoint])
    }

    @Test func listMatchesTheReferenceCount() {
        #expect(Self.referenceEndpoints.count == 106)
        #expect(Set(Self.referenceEndpoints).count == Self.referenceEndpoints.count)
    }

    @Test(arguments: referenceEndpoints)
    func endpointAnswersForSeededData(_ endpoint: String) async throws {
        let simulator = Fixture.simulator()
        let token = simulator.issueToken(user: "alice_prints", clientID: "client-one")
        let request = Self.concrete(endpoint)
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
