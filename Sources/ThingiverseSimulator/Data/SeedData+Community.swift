/// The seeded social side: comments (threaded), groups with members, things and topics, who
/// follows whom, and one upload that has arrived and waits for `POST /files/7000001/finalize`.
extension SeedData {
    /// Ids of records created through the API start here, above every seeded id range but
    /// below the seeded file and image ids (4_100_017 * 10 + n).
    static let firstCreatedID = 8_000_001

    /// Comment lines, chosen by position so the seed stays deterministic.
    private static let commentLines = [
        "Printed this last night, came out great!",
        "What infill did you use?",
        "Works perfectly with PETG.",
        "Could you add a version with a 5 mm hole?",
        "Love the design, thanks for sharing.",
        "Mine needed a brim, otherwise perfect.",
    ]

    /// A thing with index n has (n * 7) % 25 comments; every third one replies to the
    /// comment before it. Ids are 2_000_000 + index * 100 + k.
    static var comments: [SimComment] {
        var result: [SimComment] = []
        for (offset, spec) in thingSpecs.enumerated() {
            let index = offset + 1
            guard index != draftIndex else { continue }
            let thingAdded = 1_420_070_400 + index * 86_400 * 23 + index * 3671
            let others = users.indices.filter { $0 != spec.1 }
            for k in 0..<((index * 7) % 25) {
                let id = 2_000_000 + index * 100 + k
                let author = k % 4 == 3 ? users[spec.1].id : users[others[(index + k) % others.count]].id
                let added = thingAdded + 86_400 + k * 7_200
                result.append(
                    SimComment(
                        id: id, target: .thing(thingID(index: index)), parentID: k % 3 == 2 ? id - 1 : nil,
                        authorID: author, body: commentLines[(index + k) % commentLines.count], added: added,
                        modified: added))
            }
        }
        for (position, copy) in copies.enumerated() {
            result += exchange(
                id: 2_100_000 + position * 10, on: .copy(copy.id), after: copy.added,
                (users[(position + 1) % users.count].id, "Nice make! Which printer?"), (copy.makerID, "Thanks! A well-tuned Replicator."))
        }
        for topic in groupTopics {
            let replier = topic.authorID == users[2].id ? users[3].id : users[2].id
            result += exchange(
                id: 2_200_000 + topic.id % 1000 * 10, on: .groupTopic(topic.id), after: topic.added,
                (replier, "Good question, following."), (topic.authorID, "I will post what I find."))
        }
        return result
    }

    /// A comment (author, body) an hour after `start` and a reply to it an hour later.
    private static func exchange(
        id: Int, on target: CommentTarget, after start: Int, _ comment: (Int, String), _ reply: (Int, String)
    ) -> [SimComment] {
        [
            SimComment(
                id: id, target: target, parentID: nil, authorID: comment.0, body: comment.1, added: start + 3_600,
                modified: start + 3_600),
            SimComment(
                id: id + 1, target: target, parentID: id, authorID: reply.0, body: reply.1, added: start + 7_200,
                modified: start + 7_200),
        ]
    }

    /// Three groups: makerbot's (alice and bob are members), alice's and bob's (alice is not a member).
    static var groups: [SimGroup] {
        let base = 1_435_000_000
        func entries(_ indexes: [Int], featured: Int? = nil) -> [SimGroup.Entry] {
            indexes.enumerated().map { position, index in
                SimGroup.Entry(thingID: thingID(index: index), added: base + position * 86_400, rank: index == featured ? 1 : 0)
            }
        }
        return [
            SimGroup(
                id: 5001, name: "Print-in-Place Fans", slug: "print-in-place-fans",
                description: "Designs that come off the bed already assembled.", ownerID: users[1].id,
                members: [
                    .init(userID: users[1].id, joined: base), .init(userID: users[2].id, joined: base + 86_400),
                    .init(userID: users[3].id, joined: base + 2 * 86_400),
                ],
                things: entries([10, 11, 42], featured: 10), added: base, modified: base + 30 * 86_400),
            SimGroup(
                id: 5002, name: "Garden & Balcony Prints", slug: "garden-and-balcony",
                description: "Planters, spouts and feeders that survive the weather.", ownerID: users[2].id,
                members: [.init(userID: users[2].id, joined: base + 86_400), .init(userID: users[0].id, joined: base + 5 * 86_400)],
                things: entries([27, 30, 31, 43]), added: base + 86_400, modified: base + 40 * 86_400),
            SimGroup(
                id: 5003, name: "Electronics Enclosures", slug: "electronics-enclosures",
                description: "Cases for boards, routers and everything with a USB port.", ownerID: users[3].id,
                members: [.init(userID: users[3].id, joined: base + 2 * 86_400), .init(userID: users[1].id, joined: base + 9 * 86_400)],
                things: entries([36, 37, 39]), added: base + 2 * 86_400, modified: base + 20 * 86_400),
        ]
    }

    /// Two topics in makerbot's group (the first pinned), one each in alice's and bob's.
    static var groupTopics: [SimGroupTopic] {
        let base = 1_436_000_000
        let specs: [(Int, Int, Int, String, String, Bool)] = [
            (6001, 5001, 1, "Welcome! Post your best print-in-place designs", "Say hello and share a link.", true),
            (6002, 5001, 2, "Tolerances for PETG hinges?", "0.3 mm fuses on my printer. What works for you?", false),
            (6003, 5002, 2, "Which filament survives the sun?", "My PLA planter warped in July.", false),
            (6004, 5003, 3, "Standard screw sizes for lids", "M3 everywhere, or M2.5 for Pi cases?", false),
        ]
        return specs.enumerated().map { position, spec in
            let added = base + position * 86_400 * 3
            return SimGroupTopic(
                id: spec.0, groupID: spec.1, authorID: users[spec.2].id, name: spec.3, body: spec.4, isPinned: spec.5,
                added: added, modified: added)
        }
    }

    /// alice_prints follows makerbot; bob_builds follows alice_prints; thingiverse and makerbot follow each other.
    static var follows: Set<Follow> {
        [
            Follow(followerID: users[2].id, followedID: users[1].id),
            Follow(followerID: users[3].id, followedID: users[2].id),
            Follow(followerID: users[0].id, followedID: users[1].id),
            Follow(followerID: users[1].id, followedID: users[0].id),
        ]
    }

    /// alice_prints likes bob_builds' copy 900003; makerbot likes alice's copy 900001.
    static var copyLikes: Set<CopyLike> {
        [CopyLike(userID: users[2].id, copyID: 900_003), CopyLike(userID: users[1].id, copyID: 900_001)]
    }

    /// An upload of a new file for alice_prints' Succulent Planter whose bytes have arrived:
    /// `POST /files/7000001/finalize` (as alice_prints) adds it to the thing.
    static var pendingUpload: PendingUpload {
        PendingUpload(
            id: 7_000_001, purpose: .thingFile(thingID: thingID(index: 21)), ownerID: users[2].id,
            filename: "succulent_planter_drainage.stl", storageKey: "uploads/7000001/succulent_planter_drainage.stl",
            signature: "seeded-upload-signature", added: 1_449_200_000, isUploaded: true)
    }

    static var pendingUploadContent: StoredObject {
        StoredObject(bytes: GeneratedModel.stl(name: "succulent_planter_drainage"), contentType: "model/stl")
    }
}
