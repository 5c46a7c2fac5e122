/// The fixed content every UserEcho simulator starts with: the API user and four people (one of
/// them an admin), two forums with their types, categories and tags, eight topics with votes and
/// ten comments. Deterministic, so tests can rely on it.
enum UserEchoSeedData {
    /// The API key's own user, who acts when a request names nobody else.
    static let apiUserID = 1

    static let users: [UserEchoUser] = [
        UserEchoUser(
            id: apiUserID, guid: nil, name: "API", email: nil, isAdmin: true, created: "2014-03-03T09:12:44.118Z"),
        UserEchoUser(
            id: 2, guid: nil, name: "Emma Moderator", email: "emma@example.com", locale: "en", isAdmin: true, groups: ["Staff"],
            created: "2014-03-04T10:00:00.000Z"),
        UserEchoUser(
            id: 3, guid: nil, name: "Liam Maker", email: "liam@example.com", locale: "en", created: "2014-03-05T11:00:00.000Z"),
        // The guid ThingBridge gives the seeded Thingiverse user alice_prints (244), so signing in
        // there finds her topics here.
        UserEchoUser(
            id: 4, guid: "thingiverse:244", name: "Alice Prints", email: "alice@example.com", locale: "en", verifiedEmail: true,
            created: "2014-03-06T12:00:00.000Z"),
        UserEchoUser(
            id: 5, guid: nil, name: "Noah Tinkerer", email: "noah@example.com", locale: "de", groups: ["Beta testers"],
            created: "2014-03-07T08:30:00.000Z"),
    ]

    static let groups: [UserEchoGroup] = [
        UserEchoGroup(id: 1, name: "Staff"),
        UserEchoGroup(id: 2, name: "Beta testers"),
    ]

    static let forums: [UserEchoForum] = [
        UserEchoForum(
            id: 1, name: "Ideas & feedback", description: "Suggest features and vote for the ones you want most.",
            created: "2014-03-03T09:20:00.000Z"),
        UserEchoForum(
            id: 2, name: "Bug reports", description: "Something broken? Tell us what happened and how to repeat it.",
            created: "2014-03-03T09:25:00.000Z"),
    ]

    static let labels =
        labels(.type, ideas: ["Idea", "Question", "Praise"], bugs: ["Problem", "Question"])
        + labels(.category, ideas: ["Slicer", "Thing pages", "Mobile app"], bugs: ["Website", "Uploads"])
        + labels(.tag, ideas: ["ui", "performance", "accessibility"], bugs: ["crash", "regression"])

    /// Labels of one kind numbered from 1: those of forum 1 (ideas), then those of forum 2 (bugs).
    private static func labels(_ kind: UserEchoLabelKind, ideas: [String], bugs: [String]) -> [UserEchoLabel] {
        let named = ideas.map { (1, $0) } + bugs.map { (2, $0) }
        return named.enumerated().map { UserEchoLabel(kind: kind, id: $0.offset + 1, forumID: $0.element.0, name: $0.element.1) }
    }

    static let topics: [UserEchoTopic] = [
        UserEchoTopic(
            id: 1, forumID: 1, authorID: 3, header: "Dark mode for the thing editor",
            description: "Editing late at night is hard on the eyes. A dark theme for the editor and the thing pages, please.", status: .planned,
            labelIDs: [.type: [1], .category: [2], .tag: [1, 3]], created: "2014-03-10T08:21:05.402Z", updated: "2014-04-25T04:17:38.306Z"),
        UserEchoTopic(
            id: 2, forumID: 1, authorID: 4, header: "Export print settings as a \"profile\" & share them",
            description: "I tune <layer height> and infill for each printer; let me save them as a profile and send it to friends.",
            status: .underReview, labelIDs: [.type: [1], .category: [1], .tag: []], created: "2014-03-17T03:34:29.320Z",
            updated: "2014-03-22T16:45:12.877Z"),
        UserEchoTopic(
            id: 3, forumID: 1, authorID: 5, header: "Show the estimated print time on thing pages",
            description: "Before downloading I would like to know whether a print takes two hours or twenty.", status: .started,
            labelIDs: [.type: [1], .category: [2], .tag: [1]], created: "2014-03-22T16:45:12.877Z", updated: "2014-04-18T07:55:20.231Z"),
        UserEchoTopic(
            id: 4, forumID: 1, authorID: 4, header: "Offline mode for the mobile app",
            description: "Keep my collections available at the printer, where there is no signal.", status: .new,
            labelIDs: [.type: [1], .category: [3], .tag: [2]], created: "2014-04-02T11:08:51.004Z", updated: "2014-04-02T11:08:51.004Z"),
        UserEchoTopic(
            id: 5, forumID: 1, authorID: 3, header: "Thanks for the new search!", description: "Finding remixes is so much faster now. Great work.",
            status: .completed, labelIDs: [.type: [3], .category: [], .tag: []], created: "2014-04-09T19:27:33.659Z",
            updated: "2014-04-09T19:27:33.659Z"),
        UserEchoTopic(
            id: 6, forumID: 2, authorID: 5, header: "Upload stalls at 99% for large STL files",
            description: "Files over 50 MB never finish uploading; smaller ones are fine. Started after last week's update.", status: .started,
            labelIDs: [.type: [4], .category: [5], .tag: [5]], created: "2014-04-18T07:55:20.231Z", updated: "2014-05-06T13:40:02.915Z"),
        UserEchoTopic(
            id: 7, forumID: 2, authorID: 4, header: "Thing page crashes on Safari 7",
            description: "Opening any thing page with more than ten pictures closes the tab.", status: .new,
            labelIDs: [.type: [4], .category: [4], .tag: [4]],
            created: "2014-04-25T04:17:38.306Z", updated: "2014-04-25T04:17:38.306Z"),
        UserEchoTopic(
            id: 8, forumID: 2, authorID: 3, header: "Password reset email never arrives",
            description: "Tried three times with my work address. Nothing in spam either.", status: .declined,
            labelIDs: [.type: [5], .category: [4], .tag: []],
            created: "2014-05-06T13:40:02.915Z", updated: "2014-05-14T21:03:47.560Z"),
    ]

    /// Each topic's votes, oldest first: (voter, +1 or -1, created).
    static let votes: [UserEchoVote] = {
        let byTopic: [(Int, [(Int, Int, String)])] = [
            (1, [(4, 1, "2014-03-11T10:00:00.000Z"), (5, 1, "2014-03-12T10:00:00.000Z"), (2, 1, "2014-03-13T10:00:00.000Z")]),
            (2, [(3, 1, "2014-03-18T10:00:00.000Z"), (5, 1, "2014-03-19T10:00:00.000Z")]),
            (3, [(4, 1, "2014-03-23T10:00:00.000Z"), (3, -1, "2014-03-24T10:00:00.000Z")]),
            (4, [(5, 1, "2014-04-03T10:00:00.000Z")]),
            (5, [(4, 1, "2014-04-10T10:00:00.000Z"), (2, 1, "2014-04-10T11:00:00.000Z")]),
            (6, [(3, 1, "2014-04-19T10:00:00.000Z"), (4, 1, "2014-04-20T10:00:00.000Z")]),
            (7, [(5, 1, "2014-04-26T10:00:00.000Z")]),
        ]
        return byTopic.flatMap { topic, votes in
            votes.map { UserEchoVote(topicID: topic, userID: $0.0, value: $0.1, created: $0.2) }
        }
    }()

    /// (id, topic, author, text, created); no seeded comment was edited since.
    static let comments: [UserEchoComment] = {
        let rows: [(Int, Int, Int, String, String)] = [
            (1, 1, 2, "Thanks, Liam! We have planned this for the next release.", "2014-03-14T09:00:00.000Z"),
            (2, 1, 4, "Yes please, and keep the contrast high for the sliders.", "2014-03-15T18:12:45.210Z"),
            (3, 1, 5, "+1, my eyes thank you in advance.", "2014-04-25T04:17:38.306Z"),
            (4, 2, 3, "Would be great for sharing <Prusa> & Ultimaker settings.", "2014-03-18T12:30:00.500Z"),
            (5, 2, 2, "We are looking at how other slicers store profiles.", "2014-03-22T16:45:12.877Z"),
            (6, 3, 2, "Work has started: the estimate will come from the uploaded G-code.", "2014-04-18T07:55:20.231Z"),
            (7, 5, 2, "Glad you like it!", "2014-04-10T08:00:00.000Z"),
            (8, 6, 3, "Same here with a 70 MB file, stuck at 99% in Firefox too.", "2014-04-19T20:14:09.777Z"),
            (9, 6, 2, "We found the cause and are rolling out a fix.", "2014-05-06T13:40:02.915Z"),
            (10, 7, 3, "Cannot reproduce on Safari 7.0.3; which version do you have?", "2014-04-26T09:41:00.050Z"),
        ]
        return rows.map { UserEchoComment(id: $0.0, topicID: $0.1, authorID: $0.2, text: $0.3, created: $0.4, updated: $0.4) }
    }()
}
