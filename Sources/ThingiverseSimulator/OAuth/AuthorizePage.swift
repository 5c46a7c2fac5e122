/// The HTML of the authorization screen and its error page.
enum AuthorizePage {
    /// "Authorize APP?" with a choice of seeded user and Allow / Deny buttons. The form posts the
    /// OAuth parameters back as hidden fields.
    static func render(request: AuthorizeRequest, users: [SimUser], formAction: String) -> String {
        var hidden: [(String, String)] = [
            ("client_id", request.app.clientID),
            ("redirect_uri", request.redirectURI),
            ("response_type", request.responseType.rawValue),
        ]
        if let state = request.state {
            hidden.append(("state", state))
        }
        let hiddenFields = hidden.map {
            "<input type=\"hidden\" name=\"\(HTML.escape($0.0))\" value=\"\(HTML.escape($0.1))\">"
        }.joined(separator: "\n")
        let options = users.map { user in
            "<option value=\"\(HTML.escape(user.name))\">\(HTML.escape(user.name)) (\(HTML.escape(user.fullName)))</option>"
        }.joined(separator: "\n")
        let appName = HTML.escape(request.app.name)
        let body = """
            <h1>Authorize \(appName)?</h1>
            <p><strong>\(appName)</strong> would like to access your Thingiverse account.
            You will be sent back to <code>\(HTML.escape(request.redirectURI))</code>.</p>
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
            <p class="note">This is a simulated Thingiverse for development; no real account is used.</p>
            """
        return HTML.page(title: "Authorize \(request.app.name)?", body: body)
    }

    /// The page shown instead when the request cannot be authorized.
    static func error(_ message: String) -> String {
        HTML.page(
            title: "Authorization failed",
            body: "<h1>Authorization failed</h1>\n<p role=\"alert\">\(HTML.escape(message))</p>")
    }
}
