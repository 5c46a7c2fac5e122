/// The body of a simulated provider's authorization screen: "Authorize APP?", where the
/// person is sent back to, a choice of seeded user and Allow / Deny. The form posts the OAuth
/// parameters back as hidden fields, so the decision can validate them again.
enum ConsentPage {
    /// - Parameters:
    ///   - heading: e.g. "Authorize My App on Flattr?" (escaped here)
    ///   - appName: the app, as named in the sentence below the heading (escaped here)
    ///   - wants: what the app would like, e.g. "access your Thingiverse account"
    ///   - details: trusted HTML shown before the form (the scopes asked for), if any
    ///   - users: the seeded users to sign in as: the form value and the label
    ///   - note: the line under the form
    static func body(
        heading: String, appName: String, wants: String, redirectURI: String, details: String?,
        hiddenFields: [(String, String)], users: [(value: String, label: String)], formAction: String, note: String
    ) -> String {
        let hidden = hiddenFields.map {
            "<input type=\"hidden\" name=\"\(HTML.escape($0.0))\" value=\"\(HTML.escape($0.1))\">"
        }.joined(separator: "\n")
        let options = users.map { "<option value=\"\(HTML.escape($0.value))\">\(HTML.escape($0.label))</option>" }
            .joined(separator: "\n")
        return """
            <h1>\(HTML.escape(heading))</h1>
            <p><strong>\(HTML.escape(appName))</strong> would like to \(wants).
            You will be sent back to <code>\(HTML.escape(redirectURI))</code>.</p>
            \(details.map { $0 + "\n" } ?? "")<form method="post" action="\(HTML.escape(formAction))">
            \(hidden)
            <label for="user">Sign in as</label>
            <select id="user" name="user">
            \(options)
            </select>
            <div class="buttons">
            <button type="submit" name="decision" value="allow">Allow</button>
            <button type="submit" name="decision" value="deny">Deny</button>
            </div>
            </form>
            <p class="note">\(note)</p>
            """
    }

    /// The page body shown instead when the request cannot be authorized.
    static func error(_ message: String) -> String {
        "<h1>Authorization failed</h1>\n<p role=\"alert\">\(HTML.escape(message))</p>"
    }
}
