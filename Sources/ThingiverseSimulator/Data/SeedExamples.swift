import Foundation
import HTTPTypes

/// One working request for every endpoint of the reference, against a fresh simulator's seed
/// data (signed in as alice_prints): what the endpoint walks send (the simulator's own, and
/// ThingBridge's through its proxy), and what a newcomer can copy.
public enum SeedExamples {
    /// The seeded record each parameter names, by the path's first segment; ``request(for:)`` adjusts
    /// the few endpoints that need another one (someone else's thing to like, a thing not yet
    /// in the collection...).
    static let parameters: [String: [String: String]] = [
        "users": ["username": "alice_prints"],
        "things": [
            "id": String(SeedData.thingID(index: 21)), "image_id": String(SeedData.thingID(index: 21) * 10 + 1),
            "file_id": String(SeedData.thingID(index: 21) * 10 + 5),
        ],
        "files": ["id": String(SeedData.thingID(index: 21) * 10 + 5)],
        "copies": ["id": "900001", "image_id": "9000011"],
        "collections": ["id": "30004", "collection_id": "30004", "thing_id": String(SeedData.thingID(index: 1))],
        "comments": ["id": "2000100"],
        "search": ["term": "planter"],
        "categories": ["category_slug": "household"],
        "tags": ["tag": "garden"],
        "groups": ["id": "5002", "group_id": "5002", "thing_id": String(SeedData.thingID(index: 20)), "user_id": "50577"],
        "group-topics": ["id": "6003"],
        "orders": ["id": "1234"],
    ]

    /// The request for one endpoint (`METHOD /path/{param}` as the reference names it): its path
    /// with seeded ids, and the JSON body it needs, if any.
    public static func request(for endpoint: String) -> (method: HTTPRequest.Method, path: String, body: String?) {
        let parts = endpoint.split(separator: " ", maxSplits: 1).map(String.init)
        let method = HTTPRequest.Method(parts[0])!
        var values = parameters[String(parts[1].split(separator: "/")[0])] ?? [:]
        switch endpoint {
        case "POST /users/{username}/followers": values["username"] = "bob_builds"
        case "DELETE /users/{username}/followers": values["username"] = "makerbot"
        case "POST /things/{id}/likes": values["id"] = String(SeedData.thingID(index: 1))
        case "DELETE /things/{id}/likes": values["id"] = String(SeedData.thingID(index: 2))
        case "POST /files/{id}/finalize": values["id"] = "7000001"
        case "POST /copies/{id}/likes": values["id"] = "900004"
        case "DELETE /copies/{id}/likes": values["id"] = "900003"
        case "DELETE /collections/{collection_id}/thing/{thing_id}": values["thing_id"] = String(SeedData.thingID(index: 25))
        case "POST /groups/{group_id}/members": values["group_id"] = "5003"
        case "DELETE /groups/{group_id}/members": values["group_id"] = "5001"
        case "DELETE /groups/{id}/things/{thing_id}", "PATCH /groups/{id}/things/{thing_id}":
            values["thing_id"] = String(SeedData.thingID(index: 27))
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
            "POST /comments": #"{"body":"Hello.","target_type":"thing","target_id":\#(SeedData.thingID(index: 1))}"#,
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
}
