/// What an upload becomes when it is finalized.
enum UploadPurpose: Sendable, Equatable {
    /// `POST /things/{id}/files`: a new file of the thing.
    case thingFile(thingID: Int)
    /// `POST /things/{id}/copies`: a new copy ("I made one") of the thing, with this picture.
    case newCopy(thingID: Int)
    /// `POST /copies/{id}/images`: a new picture of the copy.
    case copyImage(copyID: Int)
    /// `POST /users/{name}/avatar-image`
    case avatar(userID: Int)
    /// `POST /users/{name}/cover-image`
    case cover(userID: Int)
    /// `POST /groups/{id}/image`
    case groupImage(groupID: Int)
}

/// An upload Thingiverse has handed out storage fields for: the client POSTs the bytes to the
/// storage `action` with those fields, then `POST /files/{id}/finalize` turns them into a file
/// or an image. The signature stands in for S3's signed policy.
struct PendingUpload: Sendable {
    var id: Int
    var purpose: UploadPurpose
    var ownerID: Int
    var filename: String
    /// Where the bytes are stored once they arrive, e.g. `uploads/7000002/part.stl`.
    var storageKey: String
    /// The value the storage endpoint expects in the `signature` field.
    var signature: String
    var added: Int
    /// Whether the storage endpoint has received the bytes.
    var isUploaded: Bool
}
