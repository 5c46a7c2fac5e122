import HTTPTypes

/// Collection writes: create, rename, delete, and adding or removing things. Only the
/// collection's owner may change it (403 otherwise).
extension APIController {
    /// `POST /collections`: `name`, optional `description`; 201 with the collection.
    func createCollection(_ state: inout SimulatorState, _ call: APICall) throws(APIError) -> APIReply {
        let fields = try call.bodyFields()
        let name = try fields.requiredString("name", what: "A collection")
        let collection = SimCollection(
            id: state.newID(), name: name, description: try fields.string("description") ?? "", ownerID: call.viewerID,
            added: call.now, modified: call.now)
        state.collections.append(collection)
        return .object(presenter.collection(collection, in: state, viewerID: call.viewerID), status: .created)
    }

    /// `PATCH /collections/{id}`: owner only; `name`, `description`.
    func updateCollection(_ state: inout SimulatorState, _ call: APICall) throws(APIError) -> APIReply {
        let index = try call.index(in: state.collections, "id", what: "collection", only: "the owner", can: "change it") {
            $0.ownerID == call.viewerID
        }
        let fields = try call.bodyFields()
        if let name = try fields.nonBlankString("name") { state.collections[index].name = name }
        if let description = try fields.string("description") { state.collections[index].description = description }
        state.collections[index].modified = call.now
        return .object(presenter.collection(state.collections[index], in: state, viewerID: call.viewerID))
    }

    /// `DELETE /collections/{id}`: owner only.
    func deleteCollection(_ state: inout SimulatorState, _ call: APICall) throws(APIError) -> APIReply {
        let index = try call.index(in: state.collections, "id", what: "collection", only: "the owner", can: "delete it") {
            $0.ownerID == call.viewerID
        }
        for thingID in state.collections[index].thingIDs { state.countCollected(thingID, -1) }
        state.collections.remove(at: index)
        return .ok
    }

    /// `POST /collections/{collection_id}/thing/{thing_id}`: owner only; 400 when it is already there.
    func addToCollection(_ state: inout SimulatorState, _ call: APICall) throws(APIError) -> APIReply {
        let index = try call.index(in: state.collections, "collection_id", what: "collection", only: "the owner", can: "add to it") {
            $0.ownerID == call.viewerID
        }
        let thingID = try call.id("thing_id", what: "thing")
        guard state.visibleThing(id: thingID, viewerID: call.viewerID) != nil else { throw .notFound("No thing with id \(thingID).") }
        guard !state.collections[index].thingIDs.contains(thingID) else {
            throw .badRequest("Thing \(thingID) is already in collection \(state.collections[index].id).")
        }
        _ = try call.bodyFields().string("description")
        state.collections[index].thingIDs.append(thingID)
        state.collections[index].modified = call.now
        state.countCollected(thingID, 1)
        return .ok
    }

    /// `DELETE /collections/{collection_id}/thing/{thing_id}`: owner only; 400 when it is not there.
    func removeFromCollection(_ state: inout SimulatorState, _ call: APICall) throws(APIError) -> APIReply {
        let index = try call.index(in: state.collections, "collection_id", what: "collection", only: "the owner", can: "remove from it") {
            $0.ownerID == call.viewerID
        }
        let thingID = try call.id("thing_id", what: "thing")
        guard state.collections[index].thingIDs.contains(thingID) else {
            throw .badRequest("Thing \(thingID) is not in collection \(state.collections[index].id).")
        }
        state.collections[index].thingIDs.removeAll { $0 == thingID }
        state.collections[index].modified = call.now
        state.countCollected(thingID, -1)
        return .ok
    }
}
