/// The frame of the simulated flattr.com's pages: a small, styled, self-contained document.
enum FlattrPage {
    /// A complete page; `body` is trusted HTML (escape what goes into it).
    static func render(title: String, body: String) -> String {
        HTML.document(
            title: title, site: "Flattr Simulator", header: "<header>Flattr <span>Simulator</span></header>", body: body,
            style: """
                body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; background: #f3f5ef; color: #1f2a1b; margin: 0; }
                header { background: #5c9e31; color: #fff; padding: 0.8rem 1.5rem; font-weight: 700; letter-spacing: 0.02em; }
                header span { font-weight: 400; opacity: 0.85; }
                main { max-width: 30rem; margin: 2.5rem auto; background: #fff; border-radius: 10px; padding: 1.5rem 2rem;
                       box-shadow: 0 1px 4px rgba(0,0,0,0.12); }
                h1 { font-size: 1.4rem; margin-top: 0; }
                label { display: block; font-weight: 600; margin: 1rem 0 0.4rem; }
                select { width: 100%; padding: 0.5rem; font-size: 1rem; }
                ul.scopes { padding-left: 1.2rem; }
                ul.scopes code { background: #eef3e8; padding: 0 0.25rem; border-radius: 3px; }
                .buttons { display: flex; gap: 0.8rem; margin-top: 1.5rem; }
                button { flex: 1; padding: 0.7rem; font-size: 1rem; border-radius: 6px; border: 1px solid #98a58f; background: #fff; cursor: pointer; }
                button[value=allow] { background: #5c9e31; border-color: #5c9e31; color: #fff; }
                button:focus-visible { outline: 3px solid #f39c12; outline-offset: 2px; }
                .note { color: #56624f; font-size: 0.9rem; }
                .profile { display: flex; gap: 1rem; align-items: center; }
                .profile img { width: 64px; height: 64px; border-radius: 50%; }
                img.thing { width: 100%; max-width: 240px; border-radius: 6px; }
                code { word-break: break-all; }
                """)
    }
}
