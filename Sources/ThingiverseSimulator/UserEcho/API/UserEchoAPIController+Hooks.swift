/// Registering a hook (`POST hooks`; admins only) and queueing what the API writes cause.
extension UserEchoAPIController {
    /// `event` (one of `hooks/events`) and `target_url` (absolute http or https).
    func createHook(_ state: inout UserEchoState, _ call: UserEchoAPICall) throws -> JSONValue {
        let event = try call.fields.requiredString("event")
        guard UserEchoHook.events.contains(event) else {
            throw UserEchoAPIError.badRequest(
                "Unknown event \"\(event)\"; use one of \(UserEchoHook.events.joined(separator: ", ")).")
        }
        let target = try call.fields.requiredString("target_url")
        guard AbsoluteWebURL.isValid(target) else {
            throw UserEchoAPIError.badRequest("target_url must be an absolute http or https URL.")
        }
        let hook = UserEchoHook(id: state.newID(.hook), event: event, targetURL: target, created: call.now)
        state.hooks.append(hook)
        return presenter.hook(hook)
    }
}

extension UserEchoState {
    /// Puts `event` in the outbox for every hook registered for it.
    mutating func queueHooks(_ event: String, data: JSONValue, created: String) {
        let body = UserEchoHookSender.body(event: event, created: created, data: data)
        for hook in hooks where hook.event == event {
            outbox.append(OutgoingDelivery(event: event, url: hook.targetURL, body: body))
        }
    }
}
