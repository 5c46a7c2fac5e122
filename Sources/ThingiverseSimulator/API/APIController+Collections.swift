import HTTPTypes

/// Collection writes: create, rename, delete, and adding or removing things. Only the
/// collection's owner may change it (403 otherwise).
extension APIController {
    /// The `collections/...` endpoints of `routes`, each with its handler.
    static let collectionRoutes: [APIRoute] = [
        APIRoute(.get, "collections") { $0.collections($1.collections, $1, $2) },
        // `name`, optional `description`; 201 with the collection.
        APIRoute(.post, "collections") { api, state, call throws(APIError) in
            let fields = try call.bodyFields()
            let name = try fields.requiredString("name", what: "A collection")
            let collection = SimCollection(
                id: state.newID(), name: name, description: try fields.string("description") ?? "", ownerID: call.viewerID,
                added: call.now, modified: call.now)
            state.collections.append(collection)
            return .object(api.presenter.collection(collection, in: state, viewerID: call.viewerID), status: .created)
        },
        APIRoute(.get, "collections/:id") {
            .object($0.presenter.collection(try $2.record(in: $1.collections, what: "collection"), in: $1, viewerID: $2.viewerID))
        },
        // Owner only; `name`, `description`.
        APIRoute(.patch, "collections/:id") { api, state, call throws(APIError) in
            let index = try call.index(in: state.collections, "id", what: "collection", only: "the owner", can: "change it") {
                $0.ownerID == call.viewerID
            }
            let fields = try call.bodyFields()
            if let name = try fields.nonBlankString("name") { state.collections[index].name = name }
            if let description = try fields.string("description") { state.collections[index].description = description }
            state.collections[index].modified = call.now
            return .object(api.presenter.collection(state.collections[index], in: state, viewerID: call.viewerID))
        },
        APIRoute(.delete, "collections/:id") { api, state, call throws(APIError) in
            let index = try call.index(in: state.collections, "id", what: "collection", only: "the owner", can: "delete it") {
                $0.ownerID == call.viewerID
            }
            for thingID in state.collections[index].thingIDs { state.countCollected(thingID, -1) }
            state.collections.remove(at: index)
            return .ok
        },
        // In the order added, or `sort=name|date` with `order=asc|desc`.
        APIRoute(.get, "collections/:id/things") { api, state, call throws(APIError) in
            let collection = try call.record(in: state.collections, what: "collection")
            var things = collection.thingIDs.compactMap { state.visibleThing(id: $0, viewerID: call.viewerID) }
            if call.query["sort"] == "name" {
                things.sort { $0.name.lowercased() < $1.name.lowercased() }
            }
            if call.query["order"] == "desc" {
                things.reverse()
            }
            return api.summaries(things, state, call)
        },
        // Owner only; 400 when it is already there.
        APIRoute(.post, "collections/:collection_id/thing/:thing_id") { api, state, call throws(APIError) in
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
        },
        // Owner only; 400 when it is not there.
        APIRoute(.delete, "collections/:collection_id/thing/:thing_id") { api, state, call throws(APIError) in
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
        },
    ]
}
