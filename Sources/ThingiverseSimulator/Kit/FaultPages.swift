import HTTPTypes
import Hummingbird

/// The pages the fault switches answer with, shaped like what a real edge network sends.
enum FaultPages {
    /// A Cloudflare-style bot challenge: 403, HTML, "Just a moment...".
    static func challenge(host: String) -> Response {
        let page = """
            <!DOCTYPE html>
            <html lang="en-US">
            <head>
            <title>Just a moment...</title>
            <meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
            <meta name="robots" content="noindex,nofollow">
            </head>
            <body>
            <div class="main-wrapper" role="main">
            <h1>\(host)</h1>
            <h2>Verifying you are human. This may take a few seconds.</h2>
            <noscript>Enable JavaScript and cookies to continue</noscript>
            </div>
            </body>
            </html>

            """
        return .html(page, status: .forbidden, headers: [HTTPField.Name("cf-mitigated")!: "challenge", .server: "cloudflare"])
    }

    /// 503 with a small HTML body, as a load balancer gives when the backend is down.
    static func serviceUnavailable() -> Response {
        .html(
            "<html><head><title>503 Service Temporarily Unavailable</title></head>"
                + "<body><h1>503 Service Temporarily Unavailable</h1></body></html>\n",
            status: .serviceUnavailable)
    }

    /// 200 with an HTML error screen, as a PHP site answers when its code fails.
    static func phpErrorPage() -> Response {
        .html(
            "\n<br />\n<b>Fatal error</b>:  Uncaught PDOException: SQLSTATE[HY000] [2002] Connection refused in "
                + "<b>/var/www/thingiverse/lib/Db.php</b> on line <b>42</b><br />\n")
    }
}
