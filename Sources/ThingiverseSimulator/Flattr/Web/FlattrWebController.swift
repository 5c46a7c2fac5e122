import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// The public pages of flattr.com that API objects link to (`link` of a user or a thing) and
/// the images they show. No token, rate limit or fault applies, like a CDN and public pages.
struct FlattrWebController: Sendable {
    let simulator: FlattrSimulator
    /// Path prefix the web routes are mounted at ("" or e.g. "/sim/flattr").
    let prefix: String

    func addRoutes<Context: RequestContext>(to routes: RouteCollection<Context>) {
        routes.get(RouterPath("\(prefix)/profile/:username")) { request, context in
            self.profilePage(request: request, username: context.parameters.get("username") ?? "")
        }
        routes.get(RouterPath("\(prefix)/profile/:username/avatar.png")) { request, context in
            simulator.record(request, prefix: prefix)
            return Response.placeholderImage(name: "flattr-user-\(context.parameters.get("username") ?? "")", size: .thumb)
        }
        routes.get(RouterPath("\(prefix)/thing/:id")) { request, context in
            self.thingPage(request: request, id: context.parameters.get("id") ?? "")
        }
        routes.get(RouterPath("\(prefix)/thing/image/**")) { request, context in
            self.thingImage(request: request)
        }
    }

    /// `GET /profile/{username}`: the user's name, avatar and visible things.
    func profilePage(request: Request, username: String) -> Response {
        simulator.record(request, prefix: prefix)
        let presenter = FlattrPresenter(configuration: simulator.configuration)
        let found: (FlattrUser, [FlattrThing])? = simulator.state.withLock { state in
            guard let user = state.user(named: FormEncoding.decodePathSegment(username)) else { return nil }
            return (user, state.things.filter { $0.ownerName == user.username && !$0.hidden })
        }
        guard let (user, things) = found else {
            return .html(Self.notFound("There is no Flattr user with this name."), status: .notFound)
        }
        let items = things.map { thing in
            "<li><a href=\"\(HTML.escape(presenter.thingLink(thing.id)))\">\(HTML.escape(thing.title))</a></li>"
        }.joined(separator: "\n")
        let body = """
            <div class="profile">
            <img src="\(HTML.escape(presenter.avatar(user.username)))" alt="">
            <div><h1>\(HTML.escape(user.fullName.isEmpty ? user.username : user.fullName))</h1>
            <p class="note">flattr.com/profile/\(HTML.escape(user.username))</p></div>
            </div>
            <h2>Things</h2>
            <ul>
            \(items.isEmpty ? "<li>No things yet.</li>" : items)
            </ul>
            """
        return .html(FlattrPage.render(title: user.username, body: body))
    }

    /// `GET /thing/{id}`: the thing's title, picture, owner and URL.
    func thingPage(request: Request, id: String) -> Response {
        simulator.record(request, prefix: prefix)
        let presenter = FlattrPresenter(configuration: simulator.configuration)
        let thing = Int(id).flatMap { id in simulator.state.withLock { state in state.thingIndex(id: id).map { state.things[$0] } } }
        guard let thing else {
            return .html(Self.notFound("There is no thing with this id."), status: .notFound)
        }
        let image = presenter.image(thing)
        let body = """
            <h1>\(HTML.escape(thing.title))</h1>
            \(image.isEmpty ? "" : "<img class=\"thing\" src=\"\(HTML.escape(image))\" alt=\"\">")
            <p>\(HTML.escape(thing.description))</p>
            <p>By <a href="\(HTML.escape(presenter.userLink(thing.ownerName)))">\(HTML.escape(thing.ownerName))</a>
            · \(thing.flattrs) flattrs · <a href="\(HTML.escape(thing.url))" rel="nofollow">\(HTML.escape(thing.url))</a></p>
            """
        return .html(FlattrPage.render(title: thing.title, body: body))
    }

    /// `GET /thing/image/4/2/3/4/0/5/medium.png`: a generated picture (small, medium or large).
    func thingImage(request: Request) -> Response {
        simulator.record(request, prefix: prefix)
        let below = request.uri.path.dropFirst("\(prefix)/thing/image/".count)
        var segments = below.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard let file = segments.popLast(), file.hasSuffix(".png"), !segments.isEmpty,
            segments.allSatisfy({ $0.count == 1 && $0.first?.isNumber == true })
        else {
            return .html(Self.notFound("There is no image at this address."), status: .notFound)
        }
        let sizes: [String: PlaceholderImage.Size] = ["small.png": .thumb, "medium.png": .preview, "large.png": .large]
        guard let size = sizes[file] else {
            return .html(Self.notFound("Images come in small, medium and large."), status: .notFound)
        }
        return .placeholderImage(name: "flattr-thing-\(segments.joined())", size: size)
    }

    private static func notFound(_ message: String) -> String {
        FlattrPage.render(title: "Not found", body: "<h1>Not found</h1>\n<p role=\"alert\">\(HTML.escape(message))</p>")
    }
}
