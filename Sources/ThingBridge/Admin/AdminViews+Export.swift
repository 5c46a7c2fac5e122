import Foundation

extension AdminViews {
    /// Events as JSON lines, one ``EventDetail`` (raw body included) a line: the export's and the archive's format.
    public static func jsonLines(_ events: some Sequence<StoredEvent>, encoder: JSONEncoder = encoder()) throws -> Data {
        var lines = Data()
        for event in events {
            lines.append(try encoder.encode(EventDetail(event)))
            lines.append(0x0A)
        }
        return lines
    }

    /// Every event with an id above `start`, oldest first, handed to `write` as JSON lines a batch at a time:
    /// what `GET /admin/api/events/export` and `thingbridge events export` write.
    public static func exportEvents(
        from store: SQLWebhookEventStore, after start: Int64, batchSize: Int, write: (Data) async throws -> Void
    ) async throws {
        let encoder = encoder()
        var last = start
        while true {
            let batch = try await store.events(after: last, limit: batchSize)
            guard let final = batch.last else { return }
            try await write(jsonLines(batch, encoder: encoder))
            last = final.id
        }
    }
}
