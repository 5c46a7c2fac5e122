/// One user following another (`POST /users/{name}/followers`).
struct Follow: Hashable, Sendable {
    var followerID: Int
    var followedID: Int
}

/// One user liking one copy (`POST /copies/{id}/likes`).
struct CopyLike: Hashable, Sendable {
    var userID: Int
    var copyID: Int
}

/// One tracked download (`GET /files/{id}/download`), for `GET /users/{name}/downloads`; the
/// list keeps them in the order they happened.
struct Download: Sendable {
    var userID: Int
    var thingID: Int
}
