import Foundation
import Hummingbird
import Logging

/// Serves `Public/` for page paths only: API, webhook and sign-in paths skip the file system,
/// so a proxied request or a webhook never pays for a `stat`.
public struct StaticFilesMiddleware<Context: RequestContext>: RouterMiddleware {
    let files: FileMiddleware<Context, LocalFileSystem>
    static var dynamicPrefixes: [String] { ["/api/", "/auth/", "/webhooks/", "/admin/api/", "/sim/", "/dev/"] }

    /// - Parameter directory: an absolute path (a relative one would follow the working directory).
    public init(directory: String, logger: Logger) {
        precondition(directory.hasPrefix("/"), "the public directory must be absolute")
        self.files = FileMiddleware(directory, searchForIndexHtml: true, logger: logger)
        if !FileManager.default.isReadableFile(atPath: directory + "/index.html") {
            // Run from outside the checkout, every page would be a 404 with nothing to say why.
            logger.warning(
                "no web pages: the public directory has no index.html, so pages answer 404; run from the checkout or set THINGBRIDGE_PUBLIC_DIR",
                metadata: ["directory": .string(directory)])
        }
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if Self.dynamicPrefixes.contains(where: { path.hasPrefix($0) }) {
            return try await next(request, context)
        }
        return try await files.handle(request, context: context, next: next)
    }
}
