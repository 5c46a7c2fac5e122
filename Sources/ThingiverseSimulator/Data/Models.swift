/// A Thingiverse member.
struct SimUser: Sendable, Identifiable {
    var id: Int
    var name: String
    var firstName: String
    var lastName: String
    var bio: String
    var location: String
    var registered: Int
    var lastActive: Int
    var defaultLicense: String
    var email: String
    /// Storage key of an uploaded avatar (`POST /users/{name}/avatar-image`), else a generated one.
    var avatarKey: String? = nil
    /// Storage key of an uploaded cover image (`POST /users/{name}/cover-image`).
    var coverKey: String? = nil

    var fullName: String { [firstName, lastName].filter { !$0.isEmpty }.joined(separator: " ") }
}

/// A picture of a thing or a copy; its pixels are generated from its id unless it was uploaded.
struct SimImage: Sendable, Identifiable {
    var id: Int
    var name: String
    var added: Int
    /// Storage key of the uploaded bytes; `nil` for a seeded picture.
    var storageKey: String? = nil
}

/// A downloadable file of a thing. Seeded files have generated STL bytes; uploaded ones keep
/// what was uploaded (in `SimulatorState.storedObjects` under `storageKey`).
struct SimFile: Sendable, Identifiable {
    var id: Int
    var name: String
    var size: Int
    var added: Int
    var downloadCount: Int
    /// Storage key of the uploaded bytes; `nil` for a seeded file.
    var storageKey: String? = nil
}

/// A design published (or drafted) on Thingiverse.
struct SimThing: Sendable, Identifiable {
    var id: Int
    var name: String
    var ownerID: Int
    var description = ""
    var instructions = ""
    var license: String
    var categorySlug: String? = nil
    var tags: [String] = []
    var isWIP = false
    var isPublished = false
    var isFeatured = false
    /// Listed by `GET /verified`.
    var isVerified = false
    var added: Int
    var modified: Int
    /// Likes from people outside the seeded users, so counts look realistic.
    var anonymousLikes = 0
    var collectCount = 0
    var images: [SimImage]
    var files: [SimFile] = []
    var ancestors: [Int] = []
}

/// A thing category such as "Household" (id: slug "household").
struct SimCategory: Sendable {
    var slug: String
    var name: String
}

/// A user's named list of things.
struct SimCollection: Sendable, Identifiable {
    var id: Int
    var name: String
    var description: String
    var ownerID: Int
    var thingIDs: [Int] = []
    var added: Int
    var modified: Int
}

/// A "make" ("I made one"): someone printed a thing and posted a photo.
struct SimCopy: Sendable, Identifiable {
    var id: Int
    var thingID: Int
    var makerID: Int
    var description: String
    var added: Int
    var images: [SimImage] = []
    /// Likes from people outside the seeded users, so counts look realistic.
    var anonymousLikes: Int = 0
}

/// An access token and what it was issued for.
struct IssuedToken: Sendable {
    var value: String
    var userID: Int
    /// The client id recorded for the token (another app's id under the `foreignAudience` fault).
    var clientID: String
}
