/// Minimal HTML helpers for the simulator's few pages.
enum HTML {
    /// Escapes text for use in element content and in double- or single-quoted attributes.
    static func escape(_ text: some StringProtocol) -> String {
        // Scalars, not Characters: `"` followed by a combining mark is one Character, unequal
        // to `"`, yet a browser still ends the attribute at that quote.
        text.unicodeScalars.reduce(into: "") { output, scalar in output += entities[scalar] ?? String(scalar) }
    }

    private static let entities: [Unicode.Scalar: String] = ["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"]

    /// A complete, small, styled page of the simulated Thingiverse.
    static func page(title: String, body: String) -> String {
        document(
            title: title, site: "Thingiverse Simulator", header: "<header>Thingiverse Simulator</header>", body: body,
            style: style(background: "#f4f6f8", text: "#1d2730", accent: "#248bfb", border: "#9aa5b1", muted: "#52606d", width: "28rem"))
    }

    /// A complete, small, self-contained page of a simulated site.
    /// - Parameters:
    ///   - site: e.g. "Flattr Simulator", after the title in the browser's tab
    ///   - header: the top bar, trusted HTML
    ///   - body: the content, trusted HTML (escape what goes into it)
    ///   - style: the page's CSS
    static func document(title: String, site: String, header: String, body: String, style: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title)) · \(site)</title>
        <style>
        \(style)
        </style>
        </head>
        <body>
        \(header)
        <main>
        \(body)
        </main>
        </body>
        </html>

        """
    }

    /// The style of a simulated site's OAuth pages: a top bar, a white card, a user select and
    /// full-width Allow / Deny buttons. Sites differ in colours and width, and add `extra` rules for
    /// what only their pages show (appended, so they may override).
    /// - Parameters:
    ///   - accent: the top bar and the Allow button
    ///   - border: the Deny button's border
    ///   - muted: the note under a form
    static func style(
        background: String, text: String, accent: String, border: String, muted: String, width: String = "30rem", extra: String = ""
    ) -> String {
        """
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; background: \(background); color: \(text); margin: 0; }
        header { background: \(accent); color: #fff; padding: 0.8rem 1.5rem; font-weight: 600; }
        main { max-width: \(width); margin: 2.5rem auto; background: #fff; border-radius: 10px; padding: 1.5rem 2rem;
               box-shadow: 0 1px 4px rgba(0,0,0,0.12); }
        h1 { font-size: 1.4rem; margin-top: 0; }
        label { display: block; font-weight: 600; margin: 1rem 0 0.4rem; }
        select { width: 100%; padding: 0.5rem; font-size: 1rem; }
        .buttons { display: flex; gap: 0.8rem; margin-top: 1.5rem; }
        button { flex: 1; padding: 0.7rem; font-size: 1rem; border-radius: 6px; border: 1px solid \(border); background: #fff; cursor: pointer; }
        button[value=allow] { background: \(accent); border-color: \(accent); color: #fff; }
        button:focus-visible { outline: 3px solid #f5a623; outline-offset: 2px; }
        .note { color: \(muted); font-size: 0.9rem; }
        code { word-break: break-all; }
        \(extra)
        """
    }
}
