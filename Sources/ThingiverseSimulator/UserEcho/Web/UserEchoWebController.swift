import HTTPTypes
import Hummingbird
import Synchronization

/// The forum's web pages: the forum list, a forum's topics and a topic with its comments, plus
/// the avatars and uploaded files the API links to. Every page takes `?sso_token=`: a valid one
/// signs the person in (cookie `ue_session`) and redirects to the same URL without it.
struct UserEchoWebController: Sendable {
    let simulator: UserEchoSimulator
    /// Where the simulator is mounted ("" or e.g. "/sim/userecho").
    let prefix: String

    /// The session cookie's name.
    static let sessionCookie = "ue_session"

    func addRoutes<Context: RequestContext>(to routes: RouteCollection<Context>) {
        routes.get(RouterPath(prefix.isEmpty ? "/" : prefix)) { request, _ in self.page(request, render: self.forumList) }
        routes.get(RouterPath("\(prefix)/forums/:forum")) { request, context in
            let id = Self.leadingID(context.parameters.get("forum"))
            return self.page(request) { self.forumPage(id, $0) }
        }
        routes.get(RouterPath("\(prefix)/topics/:topic")) { request, context in
            let id = Self.leadingID(context.parameters.get("topic"))
            return self.page(request) { self.topicPage(id, $0) }
        }
        routes.get(RouterPath("\(prefix)/avatars/:file")) { request, context in
            simulator.record(request, input: nil, prefix: prefix, command: nil)
            return Self.avatar(context.parameters.get("file") ?? "")
        }
        routes.get(RouterPath("\(prefix)/files/:id/:name")) { request, context in
            simulator.record(request, input: nil, prefix: prefix, command: nil)
            return self.file(Self.leadingID(context.parameters.get("id")))
        }
    }

    /// A page's title, content (trusted HTML) and status, before the frame goes around it.
    private typealias Content = (title: String, body: String, status: HTTPResponse.Status)

    /// Logs the request, handles `sso_token`, finds the session's person and renders the page in
    /// the frame.
    private func page(_ request: Request, render: (UserEchoState) -> Content) -> Response {
        simulator.record(request, input: nil, prefix: prefix, command: nil)
        let pairs = FormEncoding.parse(request.uri.query ?? "")
        var notice: String?
        if let token = pairs.last(where: { $0.name == "sso_token" })?.value {
            switch simulator.decodeProfile(token) {
            case .success(let profile):
                let session = RandomToken.hex(byteCount: 16)
                simulator.state.withLock { state in
                    let user = state.signIn(profile)
                    state.sessions[session] = user.id
                }
                var response = Response.found(Self.withoutSSOToken(request))
                response.setCookie(
                    Cookie(name: Self.sessionCookie, value: session, path: prefix.isEmpty ? "/" : prefix, sameSite: .lax))
                return response
            case .failure:
                notice = "The sign-in link was not accepted (its sso_token is expired or invalid), so you are not signed in."
            }
        }
        let session = request.cookies[Self.sessionCookie]?.value
        return simulator.state.withLock { state in
            let viewer = session.flatMap { state.sessions[$0] }.flatMap { state.user(id: $0) }
            let content = render(state)
            let page = UserEchoPage.render(title: content.title, viewer: viewer, notice: notice, home: home, body: content.body)
            return .html(page, status: content.status)
        }
    }

    // MARK: Pages

    private func forumList(_ state: UserEchoState) -> Content {
        let items = state.forums.map { forum in
            let count = state.topics.filter { $0.forumID == forum.id }.count
            return """
                <li><div class="votes">\(count)<small>topics</small></div><div>
                <a href="\(HTML.escape(prefix + forum.path))"><strong>\(HTML.escape(forum.name))</strong></a>
                <p class="meta">\(HTML.escape(forum.description))</p></div></li>
                """
        }.joined(separator: "\n")
        let body = """
            <div class="card">
            <h1>Community forums</h1>
            <p class="meta">Ideas, questions and problems, voted on by the community.</p>
            <ul class="list" id="forums">
            \(items.isEmpty ? "<li class=\"empty\">No forums yet.</li>" : items)
            </ul>
            </div>
            """
        return ("Forums", body, .ok)
    }

    private func forumPage(_ id: Int?, _ state: UserEchoState) -> Content {
        guard let forum = id.flatMap({ state.forum(id: $0) }) else { return notFound("There is no forum with this id.") }
        let items = state.topics(where: { $0.forumID == forum.id }).map { topic in
            let author = state.user(id: topic.authorID) ?? .anonymous
            return """
                <li><div class="votes">\(state.voteDiff(topicID: topic.id))<small>votes</small></div><div>
                <a href="\(HTML.escape(prefix + topic.path))"><strong>\(HTML.escape(topic.header))</strong></a>
                \(Self.statusBadge(topic.status))
                <p class="meta">\(HTML.escape(author.name)) · \(Self.day(topic.created)) · \(Self.count(state.commentCount(topicID: topic.id), "comment"))</p>
                </div></li>
                """
        }.joined(separator: "\n")
        let body = """
            <div class="card">
            <p class="meta"><a href="\(HTML.escape(home))">Forums</a></p>
            <h1>\(HTML.escape(forum.name))</h1>
            <p class="meta">\(HTML.escape(forum.description))</p>
            <ul class="list" id="topics">
            \(items.isEmpty ? "<li class=\"empty\">No topics yet.</li>" : items)
            </ul>
            </div>
            """
        return (forum.name, body, .ok)
    }

    private func topicPage(_ id: Int?, _ state: UserEchoState) -> Content {
        guard let topic = id.flatMap({ state.topic(id: $0) }), let forum = state.forum(id: topic.forumID) else {
            return notFound("There is no topic with this id.")
        }
        let presenter = UserEchoPresenter(base: simulator.configuration.base)
        let author = state.user(id: topic.authorID) ?? .anonymous
        let labels = UserEchoLabelKind.allCases.flatMap { kind in topic.labelIDs(kind).compactMap { state.label(kind, id: $0) } }
        let tags = labels.map { "<span class=\"tag\">\(HTML.escape($0.name))</span>" }.joined()
        let comments = state.comments { $0.topicID == topic.id }
        let items = comments.map { comment in
            let writer = state.user(id: comment.authorID) ?? .anonymous
            return """
                <div class="comment" id="comment-\(comment.id)"><img src="\(HTML.escape(presenter.avatar(writer)))" alt="">
                <div><strong>\(HTML.escape(writer.name))</strong> <span class="meta">\(Self.day(comment.created))</span>
                <p>\(HTML.escape(comment.text))</p></div></div>
                """
        }.joined(separator: "\n")
        let body = """
            <div class="card">
            <p class="meta"><a href="\(HTML.escape(home))">Forums</a> › <a href="\(HTML.escape(prefix + forum.path))">\(HTML.escape(forum.name))</a></p>
            <h1>\(HTML.escape(topic.header))</h1>
            <p>\(Self.statusBadge(topic.status)) \(Self.count(state.voteDiff(topicID: topic.id), "vote")) \(tags)</p>
            <p class="meta author"><img src="\(HTML.escape(presenter.avatar(author)))" alt=""> \(HTML.escape(author.name)) · \(Self.day(topic.created))</p>
            <p id="description">\(HTML.escape(topic.description))</p>
            </div>
            <div class="card" id="comments">
            <h2>\(Self.count(comments.count, "comment"))</h2>
            \(items.isEmpty ? "<p class=\"empty\">No comments yet.</p>" : items)
            </div>
            """
        return (topic.header, body, .ok)
    }

    private func notFound(_ message: String) -> Content {
        let body = "<div class=\"card\"><h1>Not found</h1><p>\(HTML.escape(message))</p><p><a href=\"\(HTML.escape(home))\">All forums</a></p></div>"
        return ("Not found", body, .notFound)
    }

    // MARK: Files

    /// `avatars/{id}.png`: a generated picture for people without one of their own.
    private static func avatar(_ file: String) -> Response {
        guard file.hasSuffix(".png"), let id = Int(file.dropLast(".png".count)) else {
            return .html(HTML.escape("Not found"), status: .notFound)
        }
        return .placeholderImage(name: "userecho-user-\(id)", size: .thumb)
    }

    /// `files/{id}/{name}`: an uploaded file as it was sent.
    private func file(_ id: Int?) -> Response {
        let file = simulator.state.withLock { state in state.files.first { $0.id == id } }
        guard let file else { return .html(HTML.escape("Not found"), status: .notFound) }
        return .cachedBytes(file.upload.bytes, contentType: file.upload.contentType)
    }

    // MARK: Helpers

    private var home: String { prefix.isEmpty ? "/" : "\(prefix)/" }

    /// `12-dark-mode` -> 12, as UserEcho's URLs put the id before the slug.
    static func leadingID(_ segment: String?) -> Int? {
        Int(segment?.prefix { $0.isASCII && $0.isNumber } ?? "")
    }

    /// The request's path and query with every `sso_token` pair taken out.
    static func withoutSSOToken(_ request: Request) -> String {
        let kept = (request.uri.query ?? "").split(separator: "&").filter { pair in
            let name = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            return FormEncoding.decodeComponent(name) != "sso_token"
        }
        return kept.isEmpty ? request.uri.path : "\(request.uri.path)?\(kept.joined(separator: "&"))"
    }

    private static func statusBadge(_ status: UserEchoTopicStatus) -> String {
        "<span class=\"status\" style=\"background: \(status.colour)\">\(HTML.escape(status.name))</span>"
    }

    /// `1 comment`, `3 comments`
    private static func count(_ number: Int, _ noun: String) -> String {
        abs(number) == 1 ? "\(number) \(noun)" : "\(number) \(noun)s"
    }

    /// `2014-04-25` from `2014-04-25T04:17:38.306Z`.
    private static func day(_ timestamp: String) -> String {
        HTML.escape(timestamp.prefix(10))
    }
}
