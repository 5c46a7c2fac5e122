"""The proxy benchmark's processes: an upstream nginx answering a fixed 2.2 KB thing JSON for any
path, optionally a second nginx proxying to it (proxy_pass, keep-alive), the sign-in simulator and
ThingBridge as shipped in production. Used by Benchmarks/proxy/run and Benchmarks/profile/*."""
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
WAYS = ("direct", "nginx", "thingbridge")
LABELS = {"direct": "direct to the upstream", "nginx": "nginx proxy_pass, keep-alive",
          "thingbridge": f"ThingBridge /api{PATH}"}


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
    (folder / "thing.json").write_text(thing_json())
    return f"""  server {{
    listen 127.0.0.1:{port};
    location / {{ default_type application/json; root {folder}; try_files /thing.json =404; }}
  }}"""


def proxy_block(upstream_port: int, port: int) -> str:
    return f"""  upstream api {{ server 127.0.0.1:{upstream_port}; keepalive 64; }}
  server {{
    listen 127.0.0.1:{port};
    location / {{ proxy_pass http://api; proxy_http_version 1.1; proxy_set_header Connection ""; }}
  }}"""


def simulator_token(simulator_url: str, redirect_uri: str) -> str:
    """Signs in at the simulator as a browser would (Allow), then exchanges the code."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None
    opener = urllib.request.build_opener(NoRedirect)
    form = urllib.parse.urlencode({"client_id": CLIENT_ID, "redirect_uri": redirect_uri, "response_type": "code",
                                   "state": "bench", "user": "alice_prints", "decision": "allow"}).encode()
    try:
        opener.open(simulator_url + "/login/oauth/authorize", form)
        raise RuntimeError("the simulator did not redirect")
    except urllib.error.HTTPError as redirect:
        location = redirect.headers["Location"]
    code = urllib.parse.parse_qs(urllib.parse.urlparse(location).query)["code"][0]
    exchange = urllib.parse.urlencode({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "code": code,
                                       "redirect_uri": redirect_uri}).encode()
    reply = urllib.request.urlopen(simulator_url + "/login/oauth/access_token", exchange).read().decode()
    return urllib.parse.parse_qs(reply)["access_token"][0]


class ProxySetup:
    """The upstream nginx, the proxying nginx, the sign-in simulator and ThingBridge, started in a
    temporary folder; `bridge_request_headers` carries a Bearer token whose tokeninfo is cached.
    Benchmarks/profile/instructions passes a valgrind `wrapper` and a `bridge_binary` (a copy) to run."""

    def __init__(self, binary: str, wrapper: list | None = None, with_proxy_nginx: bool = True, bridge_binary: str | None = None):
        self.folder = Path(tempfile.mkdtemp(prefix="thingbridge-proxy-bench-"))
        self.folder.chmod(0o755)
        self.processes = []
        self.upstream_port, self.proxy_port = free_port(), free_port()
        simulator_port, bridge_port = free_port(), free_port()
        try:
            self.upstream = self._keep(benchlib.start_nginx(self.folder / "upstream", upstream_block(self.folder, self.upstream_port),
                                                            f"http://127.0.0.1:{self.upstream_port}{PATH}"))
            self.proxy = None
            if with_proxy_nginx:
                self.proxy = self._keep(benchlib.start_nginx(self.folder / "proxy", proxy_block(self.upstream_port, self.proxy_port),
                                                             f"http://127.0.0.1:{self.proxy_port}{PATH}"))
            self.bridge_url = f"http://127.0.0.1:{bridge_port}"
            simulator_url = f"http://127.0.0.1:{simulator_port}"
            self._keep(subprocess.Popen([binary, "simulate", "--port", str(simulator_port), "--client-id", CLIENT_ID,
                                         "--client-secret", CLIENT_SECRET, "--redirect-uri", self.bridge_url + "/auth/callback"],
                                        stdout=subprocess.DEVNULL))
            benchlib.wait_ready(simulator_url + "/")
            environment = benchlib.production_environment(
                bridge_port, self.folder, THINGIVERSE_CLIENT_ID=CLIENT_ID, THINGIVERSE_CLIENT_SECRET=CLIENT_SECRET,
                THINGIVERSE_WEB_URL=simulator_url, THINGIVERSE_API_URL=f"http://127.0.0.1:{self.upstream_port}",
                # The per-user budget (300 per 5 minutes as shipped) would turn a load test into 429s.
                THINGBRIDGE_RATE_LIMIT="100000000/300")
            self.log = self.folder / "thingbridge.log"
            self.bridge = self._keep(benchlib.start_thingbridge(bridge_binary or binary, environment, self.log, wrapper))
            token = simulator_token(simulator_url, self.bridge_url + "/auth/callback")
            self.bridge_request_headers = {"Authorization": f"Bearer {token}"}
            # Warm the tokeninfo cache and the connection pool, and check the answer is the upstream's.
            request = urllib.request.Request(self.bridge_url + "/api" + PATH, headers=self.bridge_request_headers)
            assert json.loads(urllib.request.urlopen(request, timeout=120).read())["name"] == "Articulated Dragon"
        except BaseException:
            self.close()
            raise

    def _keep(self, process: subprocess.Popen) -> subprocess.Popen:
        self.processes.append(process)
        return process

    def close(self) -> None:
        benchlib.stop(self.processes)
        shutil.rmtree(self.folder, ignore_errors=True)
