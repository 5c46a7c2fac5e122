/// Turns the simulator's records into the JSON objects the Thingiverse API returns, with
/// absolute URLs on the configured API and web base URLs.
struct Presenter: ProviderPresenter {
    /// API base URL, e.g. `http://127.0.0.1:8080/sim/api`.
    let api: String
    /// Web base URL, e.g. `http://127.0.0.1:8080/sim`.
    let web: String

    func mediaURL(_ name: String, size: PlaceholderImage.Size) -> String {
        "\(api)/_media/\(name)_\(size.rawValue).png"
    }

    /// Where `StorageResponder` serves stored bytes, e.g. `{api}/_storage/uploads/8000001/part.stl`.
    func storageURL(_ key: String) -> String {
        "\(api)/_storage/" + key.split(separator: "/").map { FormEncoding.encodeComponent($0) }.joined(separator: "/")
    }

    func avatarURL(_ user: SimUser) -> String {
        user.avatarKey.map(storageURL) ?? mediaURL("users/\(user.name)", size: .thumb)
    }

    // MARK: Users

    /// The short form used for a thing's `creator` and in lists of users.
    func userSummary(_ user: SimUser) -> JSONValue {
        .object(userMembers(user, full: false))
    }

    /// The members both forms share; the full one adds `full_name`.
    func userMembers(_ user: SimUser, full: Bool) -> [(String, JSONValue)] {
        var members: [(String, JSONValue)] = [
            ("id", .integer(user.id)),
            ("name", .string(user.name)),
            ("first_name", .string(user.firstName)),
            ("last_name", .string(user.lastName)),
        ]
        if full {
            members.append(("full_name", .string(user.fullName)))
        }
        return members + [
            ("url", .string("\(api)/users/\(FormEncoding.encodeComponent(user.name))")),
            ("public_url", .string("\(web)/\(FormEncoding.encodeComponent(user.name))")),
            ("thumbnail", .string(avatarURL(user))),
        ]
    }

    /// The full user, as `GET /users/{name}` gives it; `email` only for the user themself.
    func user(_ user: SimUser, in state: SimulatorState, viewerID: Int) -> JSONValue {
        let base = "\(api)/users/\(FormEncoding.encodeComponent(user.name))"
        var members = userMembers(user, full: true)
        members += [
            ("cover_image", user.coverKey.map { .string(storageURL($0)) } ?? .null),
            ("bio", .string(user.bio)),
            ("location", .string(user.location)),
            ("registered", .string(Timestamp.iso8601(user.registered))),
            ("last_active", .string(Timestamp.iso8601(user.lastActive))),
        ]
        members += ["things", "copies", "likes", "collections", "downloads"].map { ($0, JSONValue.string("\(base)/\($0)")) }
        members += [
            ("default_license", .string(user.defaultLicense)),
            ("follower_count", .integer(state.follows.filter { $0.followedID == user.id }.count)),
            ("following_count", .integer(state.follows.filter { $0.followerID == user.id }.count)),
            ("is_following", .bool(state.follows.contains(Follow(followerID: viewerID, followedID: user.id)))),
        ]
        if user.id == viewerID {
            members.append(("email", .string(user.email)))
        }
        return .object(members)
    }

    // MARK: Things

    func thingSummary(_ thing: SimThing, in state: SimulatorState, viewerID: Int) -> JSONValue {
        .object(thingSummaryMembers(thing, in: state, viewerID: viewerID))
    }

    /// The short form's members, which the full thing and group lists (`group_rank`) extend.
    func thingSummaryMembers(_ thing: SimThing, in state: SimulatorState, viewerID: Int) -> [(String, JSONValue)] {
        let creator = state.user(id: thing.ownerID).map(userSummary) ?? .null
        let cover = thing.images.first.map { "things/\($0.id)" } ?? "things/\(thing.id)"
        return [
            ("id", .integer(thing.id)),
            ("name", .string(thing.name)),
            ("url", .string("\(api)/things/\(thing.id)")),
            ("public_url", .string("\(web)/thing:\(thing.id)")),
            ("created_at", .string(Timestamp.iso8601(thing.added))),
            ("thumbnail", .string(mediaURL(cover, size: .thumb))),
            ("preview_image", .string(mediaURL(cover, size: .preview))),
            ("creator", creator),
            ("is_private", .bool(false)),
            ("is_purchased", .bool(false)),
            ("is_published", .bool(thing.isPublished)),
            ("like_count", .integer(state.likeCount(of: thing))),
            ("is_liked", .bool(state.likes.contains(Like(userID: viewerID, thingID: thing.id)))),
            ("collect_count", .integer(thing.collectCount)),
            ("comment_count", .integer(state.comments.filter { $0.target == .thing(thing.id) }.count)),
        ]
    }

    /// The full thing, as `GET /things/{id}` gives it.
    func thing(_ thing: SimThing, in state: SimulatorState, viewerID: Int) -> JSONValue {
        let base = "\(api)/things/\(thing.id)"
        var members = thingSummaryMembers(thing, in: state, viewerID: viewerID)
        members += [
            ("added", .string(Timestamp.iso8601(thing.added))),
            ("modified", .string(Timestamp.iso8601(thing.modified))),
            ("is_wip", .bool(thing.isWIP)),
            ("is_featured", .bool(thing.isFeatured)),
            ("is_verified", .bool(thing.isVerified)),
            ("description", .string(thing.description)),
            ("instructions", .string(thing.instructions)),
            ("license", .string(thing.license)),
        ]
        let lists = ["files", "images", "likes", "ancestors", "derivatives", "tags", "comments", "copies", "categories"]
        members += lists.map { ("\($0)_url", JSONValue.string("\(base)/\($0)")) }
        members += [
            ("file_count", .integer(thing.files.count)),
            ("default_image", thing.images.first.map { image($0, of: thing) } ?? .null),
            ("tags", .array(thing.tags.map { tagSummary($0, count: nil) })),
            ("ancestors", .array(thing.ancestors.map { .integer($0) })),
        ]
        return .object(members)
    }

    func image(_ image: SimImage, of thing: SimThing) -> JSONValue {
        self.image(image, url: "\(api)/things/\(thing.id)/images/\(image.id)")
    }

    /// An image of a thing or a copy; `url` is its API address.
    func image(_ image: SimImage, url: String) -> JSONValue {
        let sizes: [(String, String, PlaceholderImage.Size)] = [
            ("thumb", "medium", .thumb), ("preview", "featured", .preview), ("display", "large", .large),
        ]
        return .object([
            ("id", .integer(image.id)),
            ("url", .string(url)),
            ("name", .string(image.name)),
            (
                "sizes",
                .array(
                    sizes.map { type, size, variant in
                        .object([
                            ("type", .string(type)), ("size", .string(size)),
                            ("url", .string(image.storageKey.map(storageURL) ?? mediaURL("things/\(image.id)", size: variant))),
                        ])
                    })
            ),
            ("added", .string(Timestamp.iso8601(image.added))),
        ])
    }

    func file(_ file: SimFile, of thing: SimThing) -> JSONValue {
        .object([
            ("id", .integer(file.id)),
            ("name", .string(file.name)),
            ("size", .integer(file.size)),
            ("url", .string("\(api)/files/\(file.id)")),
            ("public_url", .string("\(web)/download:\(file.id)")),
            ("download_url", .string("\(api)/files/\(file.id)/download")),
            ("thumbnail", .string(mediaURL("files/\(file.id)", size: .thumb))),
            ("date", .string(Timestamp.orderDate(file.added))),
            ("formatted_size", .string("\(file.size / 1024) kb")),
            ("download_count", .integer(file.downloadCount)),
        ])
    }

    // MARK: Collections, copies, categories, tags, orders

    func collection(_ collection: SimCollection, in state: SimulatorState, viewerID: Int) -> JSONValue {
        let cover = collection.thingIDs.first.flatMap(state.thing(id:))?.images.first
        return .object([
            ("id", .integer(collection.id)),
            ("name", .string(collection.name)),
            ("description", .string(collection.description)),
            ("added", .string(Timestamp.iso8601(collection.added))),
            ("modified", .string(Timestamp.iso8601(collection.modified))),
            ("creator", state.user(id: collection.ownerID).map(userSummary) ?? .null),
            ("url", .string("\(api)/collections/\(collection.id)")),
            ("things_url", .string("\(api)/collections/\(collection.id)/things")),
            ("count", .integer(collection.thingIDs.count)),
            ("is_editable", .bool(collection.ownerID == viewerID)),
            ("thumbnail", cover.map { .string(mediaURL("things/\($0.id)", size: .thumb)) } ?? .null),
        ])
    }

    func copy(_ copy: SimCopy, in state: SimulatorState, viewerID: Int) -> JSONValue {
        let picture = { size in copy.images.first?.storageKey.map(storageURL) ?? mediaURL("copies/\(copy.id)", size: size) }
        return .object([
            ("id", .integer(copy.id)),
            ("url", .string("\(api)/copies/\(copy.id)")),
            ("public_url", .string("\(web)/make:\(copy.id)")),
            ("created_at", .string(Timestamp.iso8601(copy.added))),
            ("thing", state.thing(id: copy.thingID).map { thingSummary($0, in: state, viewerID: viewerID) } ?? .null),
            ("maker", state.user(id: copy.makerID).map(userSummary) ?? .null),
            ("thumbnail", .string(picture(.thumb))),
            ("preview_image", .string(picture(.preview))),
            ("description", .string(copy.description)),
            ("is_liked", .bool(state.copyLikes.contains(CopyLike(userID: viewerID, copyID: copy.id)))),
            ("like_count", .integer(state.likeCount(of: copy))),
            ("comment_count", .integer(state.comments.filter { $0.target == .copy(copy.id) }.count)),
            ("images_url", .string("\(api)/copies/\(copy.id)/images")),
            ("comments_url", .string("\(api)/copies/\(copy.id)/comments")),
            ("images", .array(copy.images.map { self.image($0, url: "\(api)/copies/\(copy.id)/images/\($0.id)") })),
        ])
    }

    func category(_ category: SimCategory, count: Int, full: Bool) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("name", .string(category.name)),
            ("slug", .string(category.slug)),
            ("url", .string("\(api)/categories/\(category.slug)")),
            ("count", .integer(count)),
            ("thumbnail", .string(mediaURL("categories/\(category.slug)", size: .thumb))),
        ]
        if full {
            members.append(("things_url", .string("\(api)/categories/\(category.slug)/things")))
            members.append(("children", .array([])))
        }
        return .object(members)
    }

    func tagSummary(_ tag: String, count: Int?) -> JSONValue {
        let encoded = FormEncoding.encodeComponent(tag)
        var members: [(String, JSONValue)] = [
            ("name", .string(tag)),
            ("url", .string("\(api)/tags/\(encoded)")),
        ]
        if let count {
            members.append(("count", .integer(count)))
        }
        members.append(("things_url", .string("\(api)/tags/\(encoded)/things")))
        return .object(members)
    }
}
