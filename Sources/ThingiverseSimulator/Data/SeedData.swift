/// The fixed, realistic content every simulator starts with: four users, 45 things spread
/// over them (so lists page at the default 30 per page), categories, tags, collections,
/// copies, comments, groups with topics, follows and a few orders per registered app.
/// Deterministic, so tests can rely on it (`Sources/ThingiverseSimulator/README.md` lists it).
enum SeedData {
    /// (id, name, first and last name, location, registered, last active, default license, bio);
    /// the e-mail address is the first name in lower case at example.com.
    static let users: [SimUser] = [
        (50577, "thingiverse", "Thingiverse", "", "Brooklyn, NY", 1_361_568_747, 1_449_074_832, "cc", ""),
        (
            12648, "makerbot", "MakerBot", "Industries", "Brooklyn, NY", 1_224_010_800, 1_449_100_000, "cc-sa",
            "We make 3D printers and the things you print with them."
        ),
        (
            244, "alice_prints", "Alice", "Printwell", "Portland, OR", 1_300_000_000, 1_449_200_000, "cc-nc",
            "Plants, jewelry & things for the kitchen. <3 PETG."
        ),
        (731_542, "bob_builds", "Bob", "Builder", "Leeds, UK", 1_420_000_000, 1_449_300_000, "gpl", "Electronics enclosures and RC parts."),
    ].map {
        SimUser(
            id: $0.0, name: $0.1, firstName: $0.2, lastName: $0.3, bio: $0.8, location: $0.4, registered: $0.5, lastActive: $0.6,
            defaultLicense: $0.7, email: "\($0.2.lowercased())@example.com")
    }

    /// Slugs are the names in lower case with `-` for spaces and `and` for `&`.
    static let categories: [SimCategory] = [
        "3D Printing", "Art", "Fashion", "Gadgets", "Hobby", "Household", "Learning", "Models", "Tools", "Toys & Games",
    ].map { name in
        SimCategory(slug: name.lowercased().split(separator: " ").map { $0 == "&" ? "and" : $0 }.joined(separator: "-"), name: name)
    }

    /// (name, owner index in `users`, category slug, tags)
    static let thingSpecs: [(String, Int, String, [String])] = [
        ("Calibration Cube 20mm", 0, "3d-printing", ["calibration", "test"]),
        ("Thingiverse Logo Keychain", 0, "fashion", ["keychain", "logo"]),
        ("Benchy Display Stand", 0, "3d-printing", ["benchy", "stand"]),
        ("Spiral Vase Test", 0, "art", ["vase", "spiral", "vase_mode"]),
        ("Overhang Test Tower", 0, "3d-printing", ["calibration", "overhang"]),
        ("Cable Clip Set", 0, "household", ["cable", "organizer"]),
        ("Desk Headphone Hook", 0, "household", ["headphones", "desk"]),
        ("Low-Poly Fox", 0, "models", ["lowpoly", "animal", "fox"]),
        ("Replicator Spool Holder", 1, "3d-printing", ["spool", "replicator"]),
        ("Articulated Dragon", 1, "toys-and-games", ["dragon", "articulated", "print_in_place"]),
        ("Gear Bearing", 1, "learning", ["gears", "bearing", "print_in_place"]),
        ("Mr Jaws", 1, "toys-and-games", ["shark", "toy"]),
        ("Phone Stand", 1, "gadgets", ["phone", "stand"]),
        ("Planetary Gear Set", 1, "learning", ["gears", "mechanical"]),
        ("Hex Key Holder", 1, "tools", ["organizer", "tools", "hex_key"]),
        ("Filament Swatch", 1, "3d-printing", ["filament", "swatch"]),
        ("Lithophane Lamp Shade", 1, "art", ["lithophane", "lamp"]),
        ("Chess Set (Classic)", 1, "toys-and-games", ["chess", "game"]),
        ("Caliper Holder", 1, "tools", ["caliper", "organizer"]),
        ("Snap-Fit Box", 1, "household", ["box", "snap_fit"]),
        ("Succulent Planter", 2, "household", ["planter", "plants"]),
        ("Hexagon Shelf", 2, "household", ["shelf", "hexagon", "wall"]),
        ("Earring Tree", 2, "fashion", ["jewelry", "earrings"]),
        ("Geometric Bracelet", 2, "fashion", ["jewelry", "bracelet"]),
        ("Cookie Cutter: Star", 2, "household", ["cookie_cutter", "kitchen"]),
        ("Bookmark with Tassel Loop", 2, "art", ["bookmark", "reading"]),
        ("Mini Greenhouse", 2, "hobby", ["plants", "garden"]),
        ("Bag Clip", 2, "household", ["kitchen", "clip"]),
        ("Voronoi Lamp", 2, "art", ["voronoi", "lamp"]),
        ("Bird Feeder", 2, "hobby", ["garden", "birds"]),
        ("Watering Can Spout", 2, "hobby", ["garden", "plants"]),
        ("Tealight Holder", 2, "art", ["candle", "lowpoly"]),
        ("Ring Sizer", 2, "fashion", ["jewelry", "ring", "tools"]),
        ("Pencil Cup", 2, "household", ["desk", "organizer"]),
        ("Modular Drawer (draft)", 2, "household", ["organizer", "drawer"]),
        ("Raspberry Pi 4 Case", 3, "gadgets", ["raspberry_pi", "case", "electronics"]),
        ("Arduino Uno Bumper", 3, "gadgets", ["arduino", "electronics"]),
        ("Drill Bit Organizer", 3, "tools", ["tools", "organizer", "drill"]),
        ("Wall Mount for Router", 3, "gadgets", ["wall", "network"]),
        ("RC Car Body Clip", 3, "hobby", ["rc", "car"]),
        ("Quadcopter Prop Guard", 3, "hobby", ["drone", "quadcopter"]),
        ("Fidget Spinner", 3, "toys-and-games", ["fidget", "toy", "bearing"]),
        ("Hose Adapter 3/4\"", 3, "tools", ["garden", "adapter"]),
        ("Parametric Knob", 3, "tools", ["knob", "parametric", "openscad"]),
        ("Marble Run Starter Kit", 3, "toys-and-games", ["marble_run", "toy", "kids"]),
    ]

    /// Thing ids are spaced out like real ones; index is 1-based.
    static func thingID(index: Int) -> Int { 4_100_000 + index * 17 }
    static let firstThingID = thingID(index: 1)
    /// Index (1-based) of the one seeded draft: unpublished, work in progress, owned by alice_prints.
    static let draftIndex = 35

    static var things: [SimThing] {
        thingSpecs.enumerated().map { offset, spec in
            let index = offset + 1
            let id = thingID(index: index)
            let added = 1_420_070_400 + index * 86_400 * 23 + index * 3671
            let slug = spec.0.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
            let isDraft = index == draftIndex
            return SimThing(
                id: id,
                name: spec.0,
                ownerID: users[spec.1].id,
                description: "\(spec.0) by \(users[spec.1].name). Prints without supports at 0.2 mm layers.",
                instructions: "Print in PLA or PETG, 3 perimeters, 15% infill.",
                license: users[spec.1].defaultLicense,
                categorySlug: spec.2,
                tags: spec.3,
                isWIP: isDraft,
                isPublished: !isDraft,
                isFeatured: index % 5 == 2,
                isVerified: index % 7 == 3,
                added: added,
                modified: added + 5 * 86_400 + 1234,
                anonymousLikes: (index * 37) % 200 + 3,
                collectCount: (index * 13) % 90 + 1,
                images: [
                    SimImage(id: id * 10 + 1, name: "\(slug)_render.png", added: added),
                    SimImage(id: id * 10 + 2, name: "\(slug)_photo.png", added: added + 600),
                ],
                files: [
                    SimFile(
                        id: id * 10 + 5, name: "\(slug).stl", size: GeneratedModel.stl(name: slug).count,
                        added: added, downloadCount: (index * 131) % 5000)
                ]
            )
        }
    }

    /// (liker, thing) pairs between seeded users; nobody likes their own thing.
    static var likes: Set<Like> {
        var result: Set<Like> = []
        for (offset, spec) in thingSpecs.enumerated() {
            let index = offset + 1
            for (userIndex, user) in users.enumerated() where userIndex != spec.1 {
                if (index * 7 + userIndex * 3) % 5 == 0 {
                    result.insert(Like(userID: user.id, thingID: thingID(index: index)))
                }
            }
        }
        return result
    }

    static var collections: [SimCollection] {
        let specs: [(Int, String, String, Int, [Int])] = [
            (30001, "Staff Picks", "Our favourite things this month.", 0, [10, 2, 17, 21, 29, 36, 45, 8, 11, 4, 23, 42]),
            (30002, "Calibration Prints", "Dial in a new printer.", 0, [1, 5, 16, 3]),
            (30003, "Print-in-Place Wonders", "No assembly required.", 1, [10, 11, 42]),
            (30004, "Kitchen Helpers", "", 2, [25, 28, 20]),
            (30005, "Garden Projects", "For the balcony & the allotment.", 2, [27, 30, 31, 43, 21]),
            (30006, "Electronics Enclosures", "", 3, [36, 37, 39]),
            (30007, "Things to print for my kids", "", 3, [10, 12, 18, 42, 45]),
        ]
        return specs.map { spec in
            let added = 1_430_000_000 + spec.0 % 100 * 86_400 * 11
            return SimCollection(
                id: spec.0, name: spec.1, description: spec.2, ownerID: users[spec.3].id,
                thingIDs: spec.4.map { thingID(index: $0) }, added: added, modified: added + 86_400 * 30)
        }
    }

    static var copies: [SimCopy] {
        let specs: [(Int, Int, Int, String)] = [
            (900_001, 1, 2, "Printed in PLA at 0.2 mm, came out perfect."),
            (900_002, 10, 2, "Silk PLA, took 9 hours."),
            (900_003, 10, 3, "My kids love it."),
            (900_004, 21, 3, "Printed in PETG for outdoors."),
            (900_005, 36, 1, "Fits perfectly."),
            (900_006, 12, 0, "A classic!"),
            (900_007, 45, 2, "Scaled to 120%, works great."),
            (900_008, 3, 3, "First print on my new printer."),
        ]
        return specs.map { spec in
            let added = 1_440_000_000 + spec.0 % 100 * 86_400 * 3
            return SimCopy(
                id: spec.0, thingID: thingID(index: spec.1), makerID: users[spec.2].id, description: spec.3,
                added: added, images: [SimImage(id: spec.0 * 10 + 1, name: "make_\(spec.0).png", added: added)],
                anonymousLikes: spec.0 % 17)
        }
    }

    /// Three orders per registered app; the first app's ids are 1234, 1235, 1236, the second's 2234...
    static func orders(apps: [SimulatorApp]) -> [String: [SimulatedOrder]] {
        var result: [String: [SimulatedOrder]] = [:]
        let amounts = [("14.53", "13.99", "0.54"), ("7.99", "7.50", "0.49"), ("22.00", "20.75", "1.25")]
        let statuses = [("paid", false), ("shipped", true), ("refunded", true)]
        for (appIndex, app) in apps.enumerated() {
            for k in 0..<3 {
                let id = String(1234 + appIndex * 1000 + k)
                let added = 1_461_860_920 + appIndex * 86_400 * 40 + k * 86_400 * 9
                let order = SimulatedOrder.printedPart(
                    id: id, thingID: thingID(index: 9 + k * 3), prices: amounts[k], added: Timestamp.orderDate(added),
                    modified: Timestamp.orderDate(added + 56_338), address: "\(100 + k * 11) Some St., Somecity, Somestate, 1234\(k)",
                    isShipped: statuses[k].1, status: statuses[k].0, note: k == 0 ? "Please gift wrap." : "")
                result[app.clientID, default: []].append(order)
            }
        }
        return result
    }
}

/// One user liking one thing.
struct Like: Hashable, Sendable {
    var userID: Int
    var thingID: Int
}
