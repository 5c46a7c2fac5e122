import Foundation

/// Everything the simulator remembers, kept behind one `Mutex` in `ThingiverseSimulator`.
/// Each request does its work inside a single lock, so it sees and leaves a consistent state.
struct SimulatorState: Sendable {
    var users = SeedData.users
    var things = SeedData.things
    var likes = SeedData.likes
    var categories = SeedData.categories
    var collections = SeedData.collections
    var copies = SeedData.copies
    /// Orders by the client id of the app they were placed through; only its tokens see them.
    var orders: [String: [SimulatedOrder]]
    var comments = SeedData.comments
    var groups = SeedData.groups
    var groupTopics = SeedData.groupTopics
    var follows = SeedData.follows
    var copyLikes = SeedData.copyLikes
    var downloads: [Download] = []
    var pendingUploads = [SeedData.pendingUpload]
    /// Uploaded bytes by storage key (see `StorageResponder`).
    var storedObjects = [SeedData.pendingUpload.storageKey: SeedData.pendingUploadContent]
    /// Webhooks that API writes have caused, sent after the request's lock is released.
    var outbox: [OutgoingDelivery] = []
    /// The last id handed to a record created through the API (comments, groups, uploads...).
    var lastCreatedID = SeedData.firstCreatedID - 1
    var tokens: [String: IssuedToken] = [:]
    /// Codes waiting to be exchanged, each for the id of the user who pressed Allow.
    var codes = AuthorizationCodes<Int>()
    var rateBudgets = RateBudgets()

    /// The seeded state, with three orders for each of `apps`.
    init(apps: [SimulatorApp]) {
        self.orders = SeedData.orders(apps: apps)
    }

    /// A fresh id for a record created through the API; never one a seeded record has.
    mutating func newID() -> Int {
        lastCreatedID += 1
        return lastCreatedID
    }

    // MARK: Lookups

    func user(id: Int) -> SimUser? { users.first { $0.id == id } }
    func user(named name: String) -> SimUser? { users.first { $0.name.lowercased() == name.lowercased() } }
    func thing(id: Int) -> SimThing? { things.first { $0.id == id } }
    func thingIndex(id: Int) -> Int? { things.firstIndex { $0.id == id } }
    /// Replaces the stored thing with the same id.
    mutating func save(_ thing: SimThing) { thingIndex(id: thing.id).map { things[$0] = thing } }
    /// Adds `change` to thing `id`'s collect count (never below 0) as a collection gains or loses it.
    mutating func countCollected(_ id: Int, _ change: Int) {
        thingIndex(id: id).map { things[$0].collectCount = max(0, things[$0].collectCount + change) }
    }

    func category(slugOrName key: String) -> SimCategory? {
        let wanted = key.lowercased()
        return categories.first { $0.slug == wanted || $0.name.lowercased() == wanted }
    }

    func likeCount(of thing: SimThing) -> Int {
        thing.anonymousLikes + likes.filter { $0.thingID == thing.id }.count
    }

    func likeCount(of copy: SimCopy) -> Int {
        copy.anonymousLikes + copyLikes.filter { $0.copyID == copy.id }.count
    }

    func copy(id: Int) -> SimCopy? { copies.first { $0.id == id } }
    func group(id: Int) -> SimGroup? { groups.first { $0.id == id } }
    func groupTopic(id: Int) -> SimGroupTopic? { groupTopics.first { $0.id == id } }

    /// The comments on `target`, oldest first.
    func comments(on target: CommentTarget) -> [SimComment] {
        comments.filter { $0.target == target }.sorted { ($0.added, $0.id) < ($1.added, $1.id) }
    }

    /// The thing that owns file `id`, and the file.
    func file(id: Int) -> (thing: SimThing, file: SimFile)? {
        for thing in things {
            if let file = thing.files.first(where: { $0.id == id }) { return (thing, file) }
        }
        return nil
    }

    /// Things a viewer may see in lists: published ones, plus their own drafts.
    func visibleThings(viewerID: Int) -> [SimThing] {
        things.filter { $0.isPublished || $0.ownerID == viewerID }
    }

    /// Thing `id` when the viewer may see it (published, or their own draft).
    func visibleThing(id: Int, viewerID: Int) -> SimThing? {
        thing(id: id).flatMap { $0.isPublished || $0.ownerID == viewerID ? $0 : nil }
    }

    // MARK: Tokens and codes

    /// Creates and remembers a new access token (40 lowercase hex characters, like Thingiverse's).
    /// - Parameter clientID: the app it is recorded for (see `ThingiverseSimulator.audience(for:)`)
    mutating func issueToken(userID: Int, clientID: String) -> String {
        let value = RandomToken.hex(byteCount: 20)
        tokens[value] = IssuedToken(value: value, userID: userID, clientID: clientID)
        return value
    }
}

/// Random identifiers for codes and tokens.
enum RandomToken {
    /// `byteCount` random bytes (from the system's generator) as lowercase hex.
    static func hex(byteCount: Int) -> String {
        (0..<byteCount).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max)) }.joined()
    }
}
