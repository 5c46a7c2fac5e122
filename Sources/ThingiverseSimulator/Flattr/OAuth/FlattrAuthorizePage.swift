/// The HTML of the simulated Flattr's authorization screen and its error page.
enum FlattrAuthorizePage {
    /// "Authorize APP on Flattr?" with the scopes asked for, a choice of seeded user and
    /// Allow / Deny buttons. The form posts the OAuth parameters back as hidden fields.
    static func render(request: FlattrAuthorizeRequest, users: [FlattrUser], formAction: String) -> String {
        let hiddenFields = request.formFields.map {
            "<input type=\"hidden\" name=\"\(HTML.escape($0.0))\" value=\"\(HTML.escape($0.1))\">"
        }.joined(separator: "\n")
        let options = users.map { user in
            let label = user.fullName.isEmpty ? user.username : "\(user.username) (\(user.fullName))"
            return "<option value=\"\(HTML.escape(user.username))\">\(HTML.escape(label))</option>"
        }.joined(separator: "\n")
        let scopes = FlattrScopes.known.filter { request.scopes.contains($0.name) }.map {
            "<li>\(HTML.escape($0.meaning)) (<code>\(HTML.escape($0.name))</code>)</li>"
        }.joined(separator: "\n")
        let scopeList =
            scopes.isEmpty
            ? "<p>It asks for no permissions beyond your public profile.</p>"
            : "<p>It will be able to:</p>\n<ul class=\"scopes\">\n\(scopes)\n</ul>"
        let appName = HTML.escape(request.app.name)
        let body = """
            <h1>Authorize \(appName) on Flattr?</h1>
            <p><strong>\(appName)</strong> would like to connect to your Flattr account.
            You will be sent back to <code>\(HTML.escape(request.redirectURI))</code>.</p>
            \(scopeList)
            <form method="post" action="\(HTML.escape(formAction))">
            \(hiddenFields)
            <label for="user">Sign in as</label>
            <select id="user" name="user">
            \(options)
            </select>
            <div class="buttons">
            <button type="submit" name="decision" value="allow">Allow</button>
            <button type="submit" name="decision" value="deny">Deny</button>
            </div>
            </form>
            <p class="note">This is a simulated Flattr for development; no real account or money is used.</p>
            """
        return FlattrPage.render(title: "Authorize \(request.app.name) on Flattr?", body: body)
    }

    /// The page shown instead when the request cannot be authorized.
    static func error(_ message: String) -> String {
        FlattrPage.render(
            title: "Authorization failed",
            body: "<h1>Authorization failed</h1>\n<p role=\"alert\">\(HTML.escape(message))</p>")
    }
}
