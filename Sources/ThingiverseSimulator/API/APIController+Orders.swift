extension APIController {
    /// `GET /orders`: the orders of the app the token was issued to.
    func appOrders(_ state: inout SimulatorState, _ call: APICall) throws(APIError) -> APIReply {
        let orders = state.orders.filter { $0.clientID == call.token.clientID }
        return .list(orders.map(\.order.json))
    }

    /// `GET /orders/{id}`: 404 unless the order belongs to the token's app.
    func getOrder(_ state: inout SimulatorState, _ call: APICall) throws(APIError) -> APIReply {
        let id = call.parameter("id")
        guard let stored = state.orders.first(where: { $0.order.id == id && $0.clientID == call.token.clientID })
        else {
            throw .notFound("No order \(id) exists for this app.")
        }
        return .object(stored.order.json)
    }
}
