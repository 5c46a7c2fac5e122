/// The fixed content every Flattr simulator starts with: four users and eleven things across
/// them (one hidden), in Flattr's categories, with tags, flattr counts and a few flattrs by the
/// seeded users. Deterministic, so tests can rely on it.
enum FlattrSeedData {
    static let users: [FlattrUser] = [
        FlattrUser(username: "flattr", firstname: "Flattr", lastname: "", email: "flattr@example.com"),
        FlattrUser(username: "smgt", firstname: "Sam", lastname: "Magnusson", email: "smgt@example.com"),
        FlattrUser(username: "alice_flattrs", firstname: "Alice", lastname: "Andersson", email: "alice@example.com"),
        FlattrUser(username: "bob_supports", firstname: "Bob", lastname: "Berg", email: "bob@example.com"),
    ]

    static let things: [FlattrThing] = [
        FlattrThing(
            id: 423_405, url: "http://blog.flattr.net/2011/10/api-v2-beta-out-whats-changed/", ownerName: "flattr",
            title: "API v2 beta out - what's changed?",
            description:
                "We have been working hard to deliver a great experience for developers and tried to build a good "
                + "foundation for easily add new features. The API will remain in beta for a while for us to kill "
                + "quirks and refine some of the resources, this means there might be big changes without notice "
                + "for ...",
            category: .text, tags: ["api"], createdAt: 1_319_704_532, lastFlattrAt: 1_320_262_599, anonymousFlattrs: 6,
            flattredBy: ["alice_flattrs", "bob_supports"]),
        FlattrThing(
            id: 450_287, url: "https://github.com/simon/flattr", ownerName: "smgt", title: "Ruby gem wrapping Flattrs API",
            description: "A ruby gem wrapping Flattrs API.", category: .software,
            tags: ["gem", "ruby", "programming", "opensource", "flattr", "api"], hasImage: false, createdAt: 1_323_614_098,
            lastFlattrAt: 1_324_000_000, anonymousFlattrs: 6, flattredBy: ["alice_flattrs"]),
        FlattrThing(
            id: 436_714, url: "http://wordpress.org/extend/plugins/flattr/", ownerName: "flattr", title: "Flattr for WordPress",
            description: "The official plugin: a Flattr button on every post, and auto-submit for new ones.", category: .software,
            tags: ["wordpress", "plugin", "php", "flattr"], createdAt: 1_321_009_620, updatedAt: 1_325_500_000, lastFlattrAt: 1_326_100_000,
            anonymousFlattrs: 153, flattredBy: ["smgt"]),
        FlattrThing(
            id: 463_559, url: "http://blog.flattr.net/2012/03/flattr-turns-two/", ownerName: "flattr", title: "Flattr turns two: a look back",
            description: "Two years of social micro-donations, in numbers.", category: .text, tags: ["flattr", "anniversary", "blog"],
            createdAt: 1_331_200_000, lastFlattrAt: 1_331_900_000, anonymousFlattrs: 41, flattredBy: ["bob_supports"]),
        FlattrThing(
            id: 461_007, url: "https://github.com/smgt/flattr-cli", ownerName: "smgt", title: "flattr-cli: Flattr from your terminal",
            description: "Look up, create and flattr things without leaving the shell.", category: .software,
            tags: ["cli", "ruby", "flattr", "opensource"], createdAt: 1_330_300_000, lastFlattrAt: 1_330_800_000, anonymousFlattrs: 3),
        FlattrThing(
            id: 441_203, url: "https://alice.example/blog/winter-knitting-patterns", ownerName: "alice_flattrs",
            title: "Knitting patterns for winter", description: "Five free patterns: mittens, a hat & a scarf.", category: .text,
            tags: ["knitting", "crafts", "patterns"], createdAt: 1_322_400_000, lastFlattrAt: 1_322_900_000, anonymousFlattrs: 22,
            flattredBy: ["bob_supports"]),
        FlattrThing(
            id: 447_981, url: "https://alice.example/music/sunday-piano", ownerName: "alice_flattrs", title: "Sunday morning piano improvisation",
            description: "Twenty minutes, one take, no edits.", category: .audio, tags: ["piano", "music", "improvisation"], createdAt: 1_323_100_000,
            lastFlattrAt: 1_323_700_000, anonymousFlattrs: 12),
        FlattrThing(
            id: 452_310, url: "https://alice.example/photos/lisbon", ownerName: "alice_flattrs", title: "Draft: travel photos from Lisbon",
            description: "Not ready yet.", category: .images, tags: ["photo", "travel", "lisbon"], hidden: true, createdAt: 1_324_500_000,
            lastFlattrAt: 0, anonymousFlattrs: 0),
        FlattrThing(
            id: 455_120, url: "https://bob.example/videos/street-cleanup", ownerName: "bob_supports", title: "Street cleanup day - video report",
            description: "Forty neighbours, two tonnes of rubbish, one very happy park.", category: .video, language: "sv_SE",
            tags: ["video", "community", "volunteering"], createdAt: 1_326_700_000, lastFlattrAt: 1_327_000_000, anonymousFlattrs: 5,
            flattredBy: ["alice_flattrs"]),
        FlattrThing(
            id: 458_842, url: "https://bob.example/podcast/12", ownerName: "bob_supports", title: "Podcast episode 12: funding open source",
            description: "How do maintainers pay rent? Donations, grants and micro-payments.", category: .audio,
            tags: ["podcast", "opensource", "funding"], createdAt: 1_328_900_000, lastFlattrAt: 1_329_400_000, anonymousFlattrs: 29,
            flattredBy: ["alice_flattrs", "smgt"]),
        FlattrThing(
            id: 466_212, url: "https://bob.example/games/tiny-tower-defense", ownerName: "bob_supports", title: "Tiny Tower Defense",
            description: "A browser game in 13 kilobytes of JavaScript.", category: .software, tags: ["game", "games", "javascript"],
            createdAt: 1_332_600_000, lastFlattrAt: 1_332_700_000, anonymousFlattrs: 9),
    ]
}
