/// The frame of the simulated flattr.com's pages: a small, styled, self-contained document.
enum FlattrPage {
    /// A complete page; `body` is trusted HTML (escape what goes into it).
    static func render(title: String, body: String) -> String {
        HTML.document(
            title: title, site: "Flattr Simulator", header: "<header>Flattr <span>Simulator</span></header>", body: body,
            style: style)
    }

    private static let style = HTML.style(
        background: "#f3f5ef", text: "#1f2a1b", accent: "#5c9e31", border: "#98a58f", muted: "#56624f",
        extra: """
            header { font-weight: 700; letter-spacing: 0.02em; }
            header span { font-weight: 400; opacity: 0.85; }
            ul.scopes { padding-left: 1.2rem; }
            ul.scopes code { background: #eef3e8; padding: 0 0.25rem; border-radius: 3px; }
            .profile { display: flex; gap: 1rem; align-items: center; }
            .profile img { width: 64px; height: 64px; border-radius: 50%; }
            img.thing { width: 100%; max-width: 240px; border-radius: 6px; }
            """)
}
