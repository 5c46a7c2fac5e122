/// `page` and `per_page` as Thingiverse (and GitHub) use them, and the `Link` header that
/// points to the neighbouring pages.
struct Pagination: Sendable, Equatable {
    static let defaultPerPage = 30
    static let maximumPerPage = 100

    var page: Int
    var perPage: Int

    /// Reads `page` (default 1) and `per_page` (default 30, at most 100) from the query.
    init(query: [String: String]) throws(APIError) {
        self.page = try Self.positiveInteger(query["page"], name: "page") ?? 1
        self.perPage = min(try Self.positiveInteger(query["per_page"], name: "per_page") ?? Self.defaultPerPage, Self.maximumPerPage)
    }

    private static func positiveInteger(_ text: String?, name: String) throws(APIError) -> Int? {
        guard let text, !text.isEmpty else { return nil }
        guard let value = Int(text), value >= 1 else {
            throw .badRequest("\(name) must be a whole number of at least 1.", code: "invalid_parameter")
        }
        return value
    }

    /// The items on this page.
    func slice<T>(_ items: [T]) -> [T] {
        let (start, overflow) = (page - 1).multipliedReportingOverflow(by: perPage)
        guard !overflow, start < items.count else { return [] }
        return Array(items[start..<min(start + perPage, items.count)])
    }

    /// The GitHub-style `Link` header (`<URL>; rel="next", <URL>; rel="last", ...`), or `nil`
    /// when everything fits on the first page.
    /// - Parameters:
    ///   - total: number of items in the whole list
    ///   - baseURL: absolute URL of the list, without query
    ///   - otherQuery: the request's other query items, still encoded, in order
    func linkHeader(total: Int, baseURL: String, otherQuery: [Substring]) -> String? {
        let last = max(1, (total + perPage - 1) / perPage)
        guard last > 1 || page > 1 else { return nil }
        func url(_ page: Int) -> String {
            let query = ["page=\(page)", "per_page=\(perPage)"] + otherQuery.map(String.init)
            return "<\(baseURL)?\(query.joined(separator: "&"))>"
        }
        var links: [String] = []
        if page < last {
            links.append("\(url(page + 1)); rel=\"next\"")
            links.append("\(url(last)); rel=\"last\"")
        }
        if page > 1 {
            links.append("\(url(1)); rel=\"first\"")
            links.append("\(url(min(page - 1, last))); rel=\"prev\"")
        }
        return links.joined(separator: ", ")
    }

    /// The raw `name=value` items of a query string except those the Link header sets itself
    /// and the token, which must never be copied into URLs.
    static func preservedQueryItems(_ query: String?) -> [Substring] {
        guard let query else { return [] }
        let dropped: Set<String> = ["page", "per_page", "access_token"]
        return query.split(separator: "&").filter { item in
            let name = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            return !dropped.contains(FormEncoding.decodeComponent(name))
        }
    }
}
