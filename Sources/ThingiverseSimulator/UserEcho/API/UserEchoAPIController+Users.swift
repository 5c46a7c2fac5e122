import Foundation

/// `users/{id}/logout`, `users/get_or_create` and `users/groups` (create, rename, delete).
extension UserEchoAPIController {
    /// Ends the user's forum page sessions (admins only).
    func logOut(_ state: inout UserEchoState, _ call: UserEchoAPICall) throws -> JSONValue {
        let user = try Self.existingUser(call, in: state)
        state.logOut(userID: user.id)
        return presenter.user(user)
    }

    /// The user with `email`, made (named `name`, else the email's local part) if there is none.
    func getOrCreateUser(_ state: inout UserEchoState, _ call: UserEchoAPICall) throws -> JSONValue {
        let email = try call.fields.requiredString("email").trimmingCharacters(in: .whitespaces)
        guard Self.isPlausibleEmail(email) else { throw UserEchoAPIError.badRequest("email is not an email address.") }
        if let user = state.users.first(where: { $0.email?.lowercased() == email.lowercased() }) {
            return presenter.user(user)
        }
        let name = try call.fields.string("name") ?? String(email.prefix { $0 != "@" })
        let user = UserEchoUser(
            id: state.newID(.user), guid: nil, name: name, email: email, locale: try call.fields.string("locale"),
            created: call.now)
        state.users.append(user)
        return presenter.user(user)
    }

    // MARK: Groups

    func createGroup(_ state: inout UserEchoState, _ call: UserEchoAPICall) throws -> JSONValue {
        let name = try call.fields.requiredString("name")
        guard !state.groups.contains(where: { $0.name.lowercased() == name.lowercased() }) else {
            throw UserEchoAPIError.badRequest("A group named \"\(name)\" exists already.")
        }
        let group = UserEchoGroup(id: state.newID(.group), name: name)
        state.groups.append(group)
        return presenter.group(group, in: state)
    }

    /// Renames the group `id` (its members follow).
    func updateGroup(_ state: inout UserEchoState, _ call: UserEchoAPICall) throws -> JSONValue {
        let index = try Self.groupIndex(call, in: state)
        let name = try call.fields.requiredString("name")
        state.replaceGroup(state.groups[index].name, with: name)
        state.groups[index].name = name
        return presenter.group(state.groups[index], in: state)
    }

    func deleteGroup(_ state: inout UserEchoState, _ call: UserEchoAPICall) throws -> JSONValue {
        let index = try Self.groupIndex(call, in: state)
        let group = state.groups.remove(at: index)
        state.replaceGroup(group.name, with: nil)
        return .object([("id", .integer(group.id))])
    }

    // MARK: Helpers

    static func existingUser(_ call: UserEchoAPICall, in state: UserEchoState) throws(UserEchoAPIError) -> UserEchoUser {
        try call.found(state.user(id: try call.id("user", "User")), "User")
    }

    private static func groupIndex(_ call: UserEchoAPICall, in state: UserEchoState) throws(UserEchoAPIError) -> Int {
        let id = try call.requiredID(alias: "group_id")
        return try call.found(state.groups.firstIndex { $0.id == id }, "Group")
    }

    static func isPlausibleEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(" ")
    }
}
