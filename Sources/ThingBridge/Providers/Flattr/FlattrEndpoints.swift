extension EndpointAllowList {
    /// Flattr's REST API v2 endpoints (`shared/reference/flattr-api-v2-things.txt`) plus
    /// `GET /user`, the account sign-in reads. Literal paths come before `{ids}` so that
    /// `/things/lookup` and `/things/search` are never read as ids. `POST /things/{id}` is
    /// Flattr's documented stand-in for `PATCH` (with `_method=patch`).
    public static let flattrREST: [String] = [
        "GET /user",
        "GET /user/things",
        "GET /users/{username}/things",
        "GET /things/lookup",
        "GET /things/search",
        "GET /things/{ids}",
        "POST /things",
        "PATCH /things/{id}",
        "POST /things/{id}",
        "DELETE /things/{id}",
    ]

    /// The Flattr allow-list.
    public static var flattr: EndpointAllowList { EndpointAllowList(flattrREST, textParameters: ["username"]) }
}
