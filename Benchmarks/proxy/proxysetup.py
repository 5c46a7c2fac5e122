"""The proxy benchmark's processes: an upstream nginx answering a fixed 2.2 KB thing JSON for any
path (and alice_prints' profile at /users/me, which signing in reads), optionally a second nginx
proxying to it (proxy_pass, keep-alive) and a Caddy (reverse_proxy), and ThingBridge as shipped in
production, each instance with a sign-in simulator of its own, signed in both ways a caller can be:
a Bearer token (tokeninfo cached) and the session cookie a browser gets from /auth/callback.
ThingBridge runs on SQLite, and optionally a second instance on a throwaway PostgreSQL server.
Used by Benchmarks/proxy/run and Benchmarks/profile/*."""
import http.client
import json
import shutil
import subprocess
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

import benchlib
from benchlib import free_port

CLIENT_ID, CLIENT_SECRET = "bench-client", "bench-client-secret"
PATH = "/things/1/"
USER = {"id": 244, "name": "alice_prints", "full_name": "Alice Printwell",
        "thumbnail": "https://cdn.thingiverse.com/avatars/alice.jpg"}  # the simulator's alice_prints
WAYS = ("direct", "nginx", "caddy", "thingbridge-bearer", "thingbridge-cookie", "thingbridge-cookie-postgres",
        "thingbridge-bearer-postgres", "thingbridge-cookie-router")
# The old single ThingBridge way (Benchmarks/profile/perf still asks for it).
ALIASES = {"thingbridge": "thingbridge-bearer"}
LABELS = {"direct": "direct to the upstream", "nginx": "nginx proxy_pass, keep-alive",
          "caddy": "Caddy reverse_proxy, keep-alive",
          "thingbridge-bearer": f"ThingBridge /api{PATH}, Bearer, SQLite",
          "thingbridge-cookie": f"ThingBridge /api{PATH}, session cookie, SQLite",
          "thingbridge-cookie-postgres": f"ThingBridge /api{PATH}, session cookie, PostgreSQL",
          "thingbridge-bearer-postgres": f"ThingBridge /api{PATH}, Bearer, PostgreSQL",
          "thingbridge-cookie-router": f"ThingBridge /api{PATH}, cookie, fast path off"}


# Issue 21's goals for the proxy, judged on the ways that ran:
# (name, what, numerator way, denominator way, measure, goal as (comparison, bound), kind)
# measure "rps": numerator req/s / denominator req/s; "cpu": CPU per 1,000 requests, the same way round.
GOALS = [
    ("cookie_vs_bearer", "cookie / Bearer req/s (SQLite)", "thingbridge-cookie", "thingbridge-bearer", "rps", (">=", 0.9), "goal"),
    ("bearer_vs_caddy", "Bearer / Caddy req/s", "thingbridge-bearer", "caddy", "rps", (">=", 1.2), "goal"),
    ("cookie_vs_caddy", "cookie / Caddy req/s", "thingbridge-cookie", "caddy", "rps", (">=", 1.2), "goal"),
    ("bearer_cpu_vs_caddy", "Bearer / Caddy CPU per request", "thingbridge-bearer", "caddy", "cpu", ("<=", 1.0), "goal"),
    ("cookie_cpu_vs_caddy", "cookie / Caddy CPU per request", "thingbridge-cookie", "caddy", "cpu", ("<=", 1.0), "goal"),
    ("cookie_postgres_vs_sqlite", "cookie PostgreSQL / SQLite req/s", "thingbridge-cookie-postgres", "thingbridge-cookie", "rps",
     (">=", 0.9), "goal"),
    ("cookie_fast_vs_router", "cookie, fast path / router req/s", "thingbridge-cookie", "thingbridge-cookie-router", "rps",
     (">=", 1.0), "info"),
    ("cookie_vs_nginx", "cookie / nginx proxy_pass req/s", "thingbridge-cookie", "nginx", "rps", (">=", 0.5), "stretch"),
    ("bearer_vs_nginx", "Bearer / nginx proxy_pass req/s", "thingbridge-bearer", "nginx", "rps", (">=", 0.5), "stretch"),
]


def ratios(results: dict) -> list[dict]:
    """The goals' ratios for the ways that ran."""
    found = []
    for name, what, top, bottom, measure, (comparison, bound), kind in GOALS:
        if top not in results or bottom not in results:
            continue
        key = "requests_per_s" if measure == "rps" else "cpu_ms_per_1000"
        if not results[top][key] or not results[bottom][key]:
            continue
        value = results[top][key] / results[bottom][key]
        met = value >= bound if comparison == ">=" else value <= bound
        found.append({"name": name, "what": what, "value": round(value, 3), "goal": f"{comparison} {bound}", "kind": kind,
                      "met": met})
    return found


def format_ratio(ratio: dict) -> str:
    verdict = "met" if ratio["met"] else "NOT met"
    return f"{ratio['what']}: {ratio['value']:.2f}x ({ratio['kind']} {ratio['goal']}x: {verdict})"


def bridge_way(way: str) -> tuple[str, str] | None:
    """("sqlite" or "postgres", "bearer" or "cookie") for a ThingBridge way, else None."""
    if not way.startswith("thingbridge-"):
        return None
    parts = way.split("-")
    return (parts[-1] if parts[-1] in ("postgres", "router") else "sqlite"), parts[1]


def thing_json() -> str:
    """A Thingiverse thing as GET /things/{id} answers it, about 2.2 KB."""
    thing = {"id": 1, "name": "Articulated Dragon", "thumbnail": "https://cdn.thingiverse.com/renders/aa/bb/dragon_thumb.jpg",
             "url": "https://api.thingiverse.com/things/1", "public_url": "https://www.thingiverse.com/thing:1",
             "creator": {"id": 244, "name": "alice_prints", "first_name": "Alice", "last_name": "Printwell",
                         "url": "https://api.thingiverse.com/users/alice_prints",
                         "public_url": "https://www.thingiverse.com/alice_prints",
                         "thumbnail": "https://cdn.thingiverse.com/avatars/alice.jpg"},
             "added": "2016-04-28T16:28:40+00:00", "modified": "2016-04-29T08:03:38+00:00", "is_published": 1,
             "is_wip": 0, "is_featured": False, "like_count": 1520, "is_liked": False, "collect_count": 2210,
             "comment_count": 87, "license": "Creative Commons - Attribution", "tags": ["dragon", "articulated", "print in place"],
             "description": "A print-in-place articulated dragon. " * 38}
    return json.dumps(thing)


def upstream_block(folder: Path, port: int) -> str:
    """The upstream: the thing for every path, except /users/me, which ThingBridge's sign-in reads
    (its id must be tokeninfo's user, the simulator's alice_prints)."""
    (folder / "thing.json").write_text(thing_json())
    (folder / "me.json").write_text(json.dumps(USER))
    return f"""  server {{
    listen 127.0.0.1:{port};
    location = /users/me {{ default_type application/json; root {folder}; try_files /me.json =404; }}
    location / {{ default_type application/json; root {folder}; try_files /thing.json =404; }}
  }}"""


def proxy_block(upstream_port: int, port: int) -> str:
    return f"""  upstream api {{ server 127.0.0.1:{upstream_port}; keepalive 64; }}
  server {{
    listen 127.0.0.1:{port};
    location / {{ proxy_pass http://api; proxy_http_version 1.1; proxy_set_header Connection ""; }}
  }}"""


def http_request(url: str, method: str = "GET", body: bytes | None = None, headers: dict | None = None):
    """One request, redirects not followed: (status, headers, body)."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    try:
        connection.request(method, parts.path + (f"?{parts.query}" if parts.query else ""), body, headers or {})
        reply = connection.getresponse()
        return reply.status, reply.headers, reply.read()
    finally:
        connection.close()


def set_cookies(headers) -> dict:
    """name -> value of every Set-Cookie in a reply."""
    cookies = {}
    for header in headers.get_all("Set-Cookie") or []:
        name, _, value = header.split(";", 1)[0].partition("=")
        cookies[name.strip()] = value.strip()
    return cookies


def simulator_token(simulator_url: str, redirect_uri: str) -> str:
    """Signs in at the simulator as a browser would (Allow), then exchanges the code."""
    form = urllib.parse.urlencode({"client_id": CLIENT_ID, "redirect_uri": redirect_uri, "response_type": "code",
                                   "state": "bench", "user": "alice_prints", "decision": "allow"}).encode()
    status, headers, _ = http_request(simulator_url + "/login/oauth/authorize", "POST", form,
                                      {"Content-Type": "application/x-www-form-urlencoded"})
    if status not in (302, 303):
        raise RuntimeError(f"the simulator did not redirect (HTTP {status})")
    code = urllib.parse.parse_qs(urllib.parse.urlparse(headers["Location"]).query)["code"][0]
    exchange = urllib.parse.urlencode({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "code": code,
                                       "redirect_uri": redirect_uri}).encode()
    reply = urllib.request.urlopen(simulator_url + "/login/oauth/access_token", exchange, timeout=120).read().decode()
    return urllib.parse.parse_qs(reply)["access_token"][0]


def session_cookie(bridge_url: str) -> str:
    """Signs in through ThingBridge as a browser does and returns the `tb_session` cookie's value:
    GET /auth/login (keeps tb_login), the 302 to the simulator's authorize page answered with the
    form (user alice_prints, Allow), then ThingBridge's /auth/callback?code=..&state=.. with the
    tb_login cookie (code exchange, tokeninfo, /users/me), whose answer sets tb_session."""
    status, headers, body = http_request(bridge_url + "/auth/login")
    login_cookie = set_cookies(headers).get("tb_login")
    if status not in (302, 303) or not login_cookie:
        raise RuntimeError(f"/auth/login: HTTP {status}, no tb_login cookie: {body[:300]!r}")
    authorize = urllib.parse.urlsplit(headers["Location"])
    fields = dict(urllib.parse.parse_qsl(authorize.query), user="alice_prints", decision="allow")
    status, headers, body = http_request(urllib.parse.urlunsplit(authorize._replace(query="")), "POST",
                                         urllib.parse.urlencode(fields).encode(),
                                         {"Content-Type": "application/x-www-form-urlencoded"})
    if status not in (302, 303):
        raise RuntimeError(f"the simulator's authorize page: HTTP {status}: {body[:300]!r}")
    callback = urllib.parse.urlsplit(headers["Location"])
    status, headers, body = http_request(urllib.parse.urlunsplit(("http", urllib.parse.urlsplit(bridge_url).netloc,
                                                                  callback.path, callback.query, "")),
                                         headers={"Cookie": f"tb_login={login_cookie}"})
    session = set_cookies(headers).get("tb_session")
    if status not in (302, 303) or not session:
        raise RuntimeError(f"/auth/callback: HTTP {status}, no tb_session cookie: {body[:500]!r}")
    return session


class Bridge:
    """One ThingBridge instance with its own simulator (one registered redirect URI each), signed
    in both ways: `bearer_headers` (tokeninfo cached by a first request) and `cookie_headers`."""

    def __init__(self, setup: "ProxySetup", name: str, binary: str, database_url: str | None,
                 wrapper: list | None, bridge_binary: str | None):
        self.name = name
        simulator_port, port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{port}"
        simulator_url = f"http://127.0.0.1:{simulator_port}"
        setup._keep(subprocess.Popen([binary, "simulate", "--port", str(simulator_port), "--client-id", CLIENT_ID,
                                      "--client-secret", CLIENT_SECRET, "--redirect-uri", self.url + "/auth/callback"],
                                     stdout=subprocess.DEVNULL))
        benchlib.wait_ready(simulator_url + "/")
        folder = setup.folder / name
        folder.mkdir()
        overrides = dict(THINGIVERSE_CLIENT_ID=CLIENT_ID, THINGIVERSE_CLIENT_SECRET=CLIENT_SECRET,
                         THINGIVERSE_WEB_URL=simulator_url, THINGIVERSE_API_URL=f"http://127.0.0.1:{setup.upstream_port}",
                         # The per-user budget (300 per 5 minutes as shipped) would turn a load test into 429s.
                         THINGBRIDGE_RATE_LIMIT="100000000/300")
        if database_url:
            overrides["THINGBRIDGE_DATABASE_URL"] = database_url
        if name == "router":
            # Every request through Hummingbird's router and async-http-client, as before the fast path.
            overrides["THINGBRIDGE_PROXY_FAST_PATH"] = "false"
        environment = benchlib.production_environment(port, folder, **overrides)
        self.log = folder / "thingbridge.log"
        self.process = setup._keep(benchlib.start_thingbridge(bridge_binary or binary, environment, self.log, wrapper))
        token = simulator_token(simulator_url, self.url + "/auth/callback")
        self.bearer_headers = {"Authorization": f"Bearer {token}"}
        self.cookie_headers = {"Cookie": f"tb_session={session_cookie(self.url)}"}
        # Warm the tokeninfo cache and the connection pool, and check both answers are the upstream's.
        for headers in (self.bearer_headers, self.cookie_headers):
            request = urllib.request.Request(self.url + "/api" + PATH, headers=headers)
            assert json.loads(urllib.request.urlopen(request, timeout=120).read())["name"] == "Articulated Dragon"

    def headers(self, auth: str) -> dict:
        return self.bearer_headers if auth == "bearer" else self.cookie_headers


class ProxySetup:
    """The upstream nginx, the proxying nginx and Caddy (if asked for), and ThingBridge on SQLite
    (`bridges["sqlite"]`; `bridge`, `bridge_url`, `log`, `bridge_request_headers` (Bearer) and
    `cookie_headers` are that instance's) and, with `with_postgres`, a second one on a throwaway
    PostgreSQL server (`bridges["postgres"]`, `postgres`), all in a temporary folder.
    Benchmarks/profile/instructions passes a valgrind `wrapper` and a `bridge_binary` (a copy) to run."""

    def __init__(self, binary: str, wrapper: list | None = None, with_proxy_nginx: bool = True, bridge_binary: str | None = None,
                 with_caddy: bool = False, with_postgres: bool = False, with_router: bool = False):
        self.folder = Path(tempfile.mkdtemp(prefix="thingbridge-proxy-bench-"))
        self.folder.chmod(0o755)
        self.processes = []
        self.postgres = None
        self.proxy = self.caddy = None
        self.bridges = {}
        self.upstream_port, self.proxy_port, self.caddy_port = free_port(), free_port(), free_port()
        try:
            self.upstream = self._keep(benchlib.start_nginx(self.folder / "upstream", upstream_block(self.folder, self.upstream_port),
                                                            f"http://127.0.0.1:{self.upstream_port}{PATH}"))
            if with_proxy_nginx:
                self.proxy = self._keep(benchlib.start_nginx(self.folder / "proxy", proxy_block(self.upstream_port, self.proxy_port),
                                                             f"http://127.0.0.1:{self.proxy_port}{PATH}"))
            if with_caddy:
                self.caddy = self._keep(benchlib.start_caddy(self.folder / "caddy", self.caddy_port, self.upstream_port, PATH))
            self.bridges["sqlite"] = Bridge(self, "sqlite", binary, None, wrapper, bridge_binary)
            if with_router:
                self.bridges["router"] = Bridge(self, "router", binary, None, wrapper, bridge_binary)
            if with_postgres:
                self.postgres = benchlib.PostgresServer(self.folder / "postgresql-server")
                self.bridges["postgres"] = Bridge(self, "postgres", binary, self.postgres.url, wrapper, bridge_binary)
        except BaseException:
            self.close()
            raise
        sqlite = self.bridges["sqlite"]
        self.bridge, self.bridge_url, self.log = sqlite.process, sqlite.url, sqlite.log
        self.bridge_request_headers, self.cookie_headers = sqlite.bearer_headers, sqlite.cookie_headers

    def _keep(self, process: subprocess.Popen) -> subprocess.Popen:
        self.processes.append(process)
        return process

    def close(self) -> None:
        """Stops every process (ThingBridge before the database it uses), then PostgreSQL, then
        removes the folder."""
        try:
            benchlib.stop(self.processes)
        finally:
            if self.postgres:
                self.postgres.stop()
            shutil.rmtree(self.folder, ignore_errors=True)
