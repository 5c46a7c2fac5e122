/// The frame of the simulated forum's pages: a small, styled, self-contained document with the
/// signed-in person (`#signed-in-as`) or "Not signed in" in the top bar.
enum UserEchoPage {
    /// A complete page; `body` is trusted HTML (escape what goes into it).
    /// - Parameters:
    ///   - viewer: the signed-in person, if any
    ///   - notice: a message shown above the content (e.g. a refused `sso_token`)
    ///   - home: the forum list's URL, for the logo link
    static func render(title: String, viewer: UserEchoUser?, notice: String? = nil, home: String, body: String) -> String {
        let account =
            viewer.map { "Signed in as <strong id=\"signed-in-as\">\(HTML.escape($0.name))</strong>" }
            ?? "<span id=\"not-signed-in\">Not signed in</span>"
        let alert = notice.map { "<p class=\"notice\" role=\"alert\" id=\"notice\">\(HTML.escape($0))</p>\n" } ?? ""
        return HTML.document(
            title: title, site: "UserEcho Simulator",
            header: "<header><a href=\"\(HTML.escape(home))\">UserEcho <span>Simulator</span></a><div class=\"account\">\(account)</div></header>",
            body: alert + body,
            style: """
                body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; background: #f2f4f7; color: #1c2430; margin: 0; }
                header { background: #2c3e50; color: #fff; padding: 0.8rem 1.5rem; display: flex; justify-content: space-between; align-items: center; gap: 1rem; flex-wrap: wrap; }
                header a { color: #fff; text-decoration: none; font-weight: 700; }
                header a span { font-weight: 400; opacity: 0.8; }
                header .account { font-size: 0.95rem; }
                main { max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
                .card { background: #fff; border-radius: 10px; padding: 1.2rem 1.5rem; box-shadow: 0 1px 4px rgba(0,0,0,0.1); margin-bottom: 1rem; }
                h1 { font-size: 1.45rem; margin: 0 0 0.5rem; }
                h2 { font-size: 1.1rem; margin: 0 0 0.6rem; }
                a { color: #1f6fb2; }
                ul.list { list-style: none; padding: 0; margin: 0; }
                ul.list li { display: flex; gap: 1rem; align-items: flex-start; padding: 0.8rem 0; border-top: 1px solid #e4e8ee; }
                ul.list li:first-child { border-top: none; }
                .votes { min-width: 3rem; text-align: center; background: #eef2f7; border-radius: 6px; padding: 0.3rem; font-weight: 700; }
                .votes small { display: block; font-weight: 400; font-size: 0.7rem; color: #52606d; }
                .meta { color: #52606d; font-size: 0.88rem; margin: 0.25rem 0 0; }
                .status { display: inline-block; color: #fff; border-radius: 4px; padding: 0 0.4rem; font-size: 0.8rem; font-weight: 600; }
                .tag { display: inline-block; background: #e7eef8; border-radius: 4px; padding: 0 0.35rem; font-size: 0.8rem; margin-right: 0.25rem; }
                .comment { border-top: 1px solid #e4e8ee; padding: 0.8rem 0; display: flex; gap: 0.8rem; }
                .comment img, .author img { width: 32px; height: 32px; border-radius: 50%; }
                .author { display: flex; align-items: center; gap: 0.5rem; }
                .notice { background: #fdecea; color: #8a1c12; border-radius: 6px; padding: 0.6rem 0.9rem; }
                .empty { color: #52606d; }
                a:focus-visible { outline: 3px solid #f5a623; outline-offset: 2px; }
                """)
    }
}
