extension EndpointAllowList {
    /// The UserEcho API v2 commands a signed-in person may cause through `/api/userecho/`
    /// (`shared/reference/userecho-api-v2-reference.txt`): the forums and what they hold, topics,
    /// voters, comments, and the person's own profile. `{self}` is a user id that must be the
    /// person's own UserEcho id (learned from `users/current`).
    public static let userechoBrowserCommands: [String] = [
        "GET /forums",
        "GET /forums/{id}/types",
        "GET /forums/{id}/categories",
        "GET /forums/{id}/tags",
        "GET /forums/{id}/topics/search",
        "GET /forums/{id}/topics",
        "POST /forums/{id}/topics",
        "PUT /forums/{id}/topics",
        "GET /forums/{id}/users/{self}/topics",
        "GET /categories/{id}/topics",
        "GET /tags/{id}/topics",
        "GET /topics/{id}",
        "DELETE /topics/{id}",
        "GET /topics/{id}/voters",
        "GET /topics/{id}/comments",
        "POST /topics/{id}/comments",
        "GET /users/current",
        "GET /users/{self}",
        "GET /users/{self}/topics",
        "GET /users/{self}/comments",
    ]

    /// Commands of the reference that are never open to browsers, whatever the key allows: the
    /// user directory, acting on other people, groups, forum administration, uploads and hooks.
    /// They answer 403 with nothing sent upstream (anything else unknown is 404).
    public static let userechoNeverForBrowsers: [String] = [
        "GET /users",
        "GET /users/{id}",
        "GET /users/{id}/topics",
        "GET /users/{id}/comments",
        "GET /users/sso/{guid}",
        "GET /users/{id}/logout",
        "POST /users/get_or_create",
        "GET /users/groups",
        "POST /users/groups",
        "PUT /users/groups",
        "DELETE /users/groups",
        "POST /forums",
        "DELETE /forums",
        "GET /forums/{id}/access_list",
        "POST /forums/{id}/access_list",
        "DELETE /forums/{id}/access_list",
        "POST /forums/{id}/categories",
        "PUT /forums/{id}/categories",
        "DELETE /forums/{id}/categories",
        "POST /forums/{id}/tags",
        "PUT /forums/{id}/tags",
        "DELETE /forums/{id}/tags",
        "POST /forums/{id}/upload/{kind}",
        "GET /forums/{id}/users/{id}/topics",
        "GET /hooks",
        "POST /hooks",
        "GET /hooks/events",
        "DELETE /hooks/{id}",
    ]

    static var userecho: EndpointAllowList { EndpointAllowList(userechoBrowserCommands, textParameters: []) }
    static var userechoForbidden: EndpointAllowList { EndpointAllowList(userechoNeverForBrowsers, textParameters: ["guid", "kind"]) }
}
