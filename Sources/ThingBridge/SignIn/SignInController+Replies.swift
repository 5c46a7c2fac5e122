import Hummingbird

extension SignInController {
    /// One linked account as pages see it: never the token.
    struct AccountView: Encodable {
        let id: String
        let name: String
        let full_name: String?
        let thumbnail: String?

        init(_ account: LinkedAccount) {
            id = account.id
            name = account.name
            full_name = account.fullName
            thumbnail = account.thumbnail
        }
    }

    /// `/auth/me`: the first linked account at the top level (as in the first release), its
    /// provider, and every linked account by provider.
    struct Me: ResponseEncodable {
        let id: String
        let name: String
        let full_name: String?
        let thumbnail: String?
        let provider: ProviderID
        let accounts: [String: AccountView]

        init(_ session: Session) {
            let primary = session.primary
            id = primary.id
            name = primary.name
            full_name = primary.fullName
            thumbnail = primary.thumbnail
            provider = primary.provider
            accounts = Dictionary(session.accounts.map { ($0.provider.rawValue, AccountView($0)) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// `/auth/session` and the unlink answer: whether this browser is signed in, as whom,
    /// which providers it can sign in with, and where the feedback forum opens (for the pages).
    struct SessionStatus: ResponseEncodable {
        let signed_in: Bool
        let user: Me?
        let providers: [ProviderID]
        /// The same providers with what the pages show: the name and where sign-in starts.
        let sign_in: [SignInOption]
        let forum: String?
    }

    struct SignInOption: Encodable {
        let id: String
        let name: String
        let login: String
        /// Its proxy and forwarded endpoints, for the API console (``ProviderConsole``), if any.
        let api: String?
        let endpoints: [String]?
    }

    func status(_ session: Session?) -> SessionStatus {
        let offered = providers.values.map(\.provider).sorted()
        return SessionStatus(
            signed_in: session != nil, user: session.map(Me.init), providers: offered,
            sign_in: offered.map {
                SignInOption(
                    id: $0.rawValue, name: $0.displayName, login: $0.loginPath, api: consoles[$0]?.api, endpoints: consoles[$0]?.endpoints)
            }, forum: forumPath)
    }
}
