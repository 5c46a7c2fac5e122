import Hummingbird

/// Admin access for signed-in people: those named in `THINGBRIDGE_ADMIN_USERS` (by Thingiverse
/// user id or name). In development with the simulator and no admin users configured, every
/// signed-in simulator user is an admin, so a newcomer can open the dashboard at once.
struct SessionAdminCheck: AdminSessionCheck {
    let cookies: SessionCookies
    let adminUsers: Set<String>
    let everyoneIsAdmin: Bool

    init(cookies: SessionCookies, adminUsers: [String], developmentWithSimulator: Bool) {
        self.cookies = cookies
        self.adminUsers = Set(adminUsers.map { $0.lowercased() })
        self.everyoneIsAdmin = developmentWithSimulator && adminUsers.isEmpty
    }

    func verdict(for request: Request) async -> AdminSessionVerdict {
        guard let session = try? await cookies.session(from: request) else { return .anonymous }
        if everyoneIsAdmin { return .admin }
        // Admins are named by their Thingiverse account; another provider's account alone is not enough.
        guard let account = session.account(.thingiverse) else { return .notAdmin }
        if adminUsers.contains(account.id) || adminUsers.contains(account.name.lowercased()) {
            return .admin
        }
        return .notAdmin
    }
}
