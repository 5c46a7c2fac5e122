"""Shared helpers for the benchmark scripts: the release binary, free ports, readiness, starting
ThingBridge, nginx and Caddy as shipped, a throwaway PostgreSQL server, wrk parsing, CPU per 1,000
requests and memory."""
import atexit
import base64
import glob
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRATCH = ROOT / ".build-release"
RESULTS = ROOT / "Benchmarks" / "results"
CLOCK_TICKS_PER_S = os.sysconf("SC_CLK_TCK")
WEBHOOK_SECRET = "bench-secret-0123456789abcdef"  # the same as Benchmarks/webhooks/common.sh


def build_release() -> str:
    """Builds the release binary once (its own scratch folder, so debug builds are untouched), as
    the Dockerfile builds what is shipped: with the Swift runtime linked in (--static-swift-stdlib).
    Measured side by side on the proxy's cookie path: 39.5 ms of CPU per 1,000 requests static
    against 53.1 ms with the runtime as shared libraries (every retain and release through the PLT)."""
    print("==> swift build -c release --static-swift-stdlib (first time: several minutes)", flush=True)
    subprocess.run(["swift", "build", "-c", "release", "--product", "thingbridge", "--static-swift-stdlib", "--scratch-path", str(SCRATCH)],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return str(SCRATCH / "release" / "thingbridge")


def release_binary(given: str | None) -> str:
    """The binary to measure: `given` (or THINGBRIDGE_BENCH_BINARY) as it is, never rebuilt; otherwise
    a fresh release build (THINGBRIDGE_BENCH_SKIP_BUILD=1: the last one, as the shell benchmarks do)."""
    given = given or os.environ.get("THINGBRIDGE_BENCH_BINARY")
    if not given and os.environ.get("THINGBRIDGE_BENCH_SKIP_BUILD") == "1":
        given = str(SCRATCH / "release" / "thingbridge")
    if given:
        if not os.access(given, os.X_OK):
            raise SystemExit(f"no executable ThingBridge at {given}")
        return str(Path(given).resolve())
    return build_release()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, timeout: float = 30, process: subprocess.Popen | None = None) -> float:
    """Polls until `url` answers 200 (giving up early if `process` exits); returns the seconds it took."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if process is not None and process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url, timeout=1) as reply:
                if reply.status == 200:
                    return time.monotonic() - start
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"{url} did not become ready")


def stop(processes: list) -> None:
    """SIGTERM to each process (the last started first), then waits; SIGKILL after 20 s."""
    for process in reversed(processes):
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# ThingBridge as shipped -------------------------------------------------------------------------

def production_environment(port: int, folder: Path, **overrides: str) -> dict:
    """Production mode with the shipped defaults (info logging, metrics on, SQLite FULL, group commit):
    only what production requires (keys, secrets, a client id) and the benchmark's ports and files.
    `OTEL_*` and `THINGBRIDGE_LOG_FORMAT` pass through from the caller's environment, so that any
    benchmark can be run with tracing on (see Benchmarks/tracing/otlp_sink.py) or JSON logs."""
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp"),
        "THINGBRIDGE_ENV": "production", "THINGBRIDGE_PORT": str(port),
        "THINGBRIDGE_DATABASE_URL": f"sqlite:{folder}/thingbridge.sqlite", "THINGBRIDGE_DATA_DIR": str(folder),
        "THINGBRIDGE_SESSION_KEYS": base64.b64encode(os.urandom(32)).decode(),
        "THINGBRIDGE_WEBHOOK_SECRETS": WEBHOOK_SECRET,
        "THINGIVERSE_CLIENT_ID": "bench-client", "THINGIVERSE_CLIENT_SECRET": "bench-client-secret",
        # The sign-in and API hosts are never reached unless a benchmark points them somewhere.
        "THINGIVERSE_WEB_URL": "http://127.0.0.1:9", "THINGIVERSE_API_URL": "http://127.0.0.1:9",
    }
    environment.update({key: value for key, value in os.environ.items() if key.startswith("OTEL_") or key in ("THINGBRIDGE_LOG_FORMAT", "THINGBRIDGE_PROXY_FAST_PATH")})
    environment.update(overrides)
    return environment


def start_thingbridge(binary: str, environment: dict, log: Path, wrapper: list | None = None) -> subprocess.Popen:
    """Starts `thingbridge serve` with its log lines (stdout and stderr) going to `log`, as a service
    manager would keep them, and waits until /readyz answers. `wrapper` runs it under e.g. valgrind."""
    with open(log, "ab") as output:
        process = subprocess.Popen([*(wrapper or []), binary, "serve"], cwd=ROOT, env=environment,
                                   stdout=output, stderr=subprocess.STDOUT)
    try:
        wait_ready(f"http://127.0.0.1:{environment['THINGBRIDGE_PORT']}/readyz", timeout=300 if wrapper else 30, process=process)
    except RuntimeError:
        stop([process])
        raise SystemExit(f"ThingBridge did not become ready; its log:\n{log.read_text()[-3000:]}")
    return process


# nginx --------------------------------------------------------------------------------------------

def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not found:
        raise SystemExit("nginx is needed: apt-get install nginx")
    return found


def start_nginx(folder: Path, http_block: str, probe_url: str) -> subprocess.Popen:
    """One nginx instance (master and one worker) of its own in `folder`, so its CPU is its own."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o755)  # the workers run as an unprivileged user and may need to read files here
    config = folder / "nginx.conf"
    config.write_text(f"""
worker_processes 1;
error_log {folder}/error.log warn;
pid {folder}/nginx.pid;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {folder}/body; proxy_temp_path {folder}/proxy; fastcgi_temp_path {folder}/fcgi;
  uwsgi_temp_path {folder}/uwsgi; scgi_temp_path {folder}/scgi;
  keepalive_requests 10000000;
{http_block}
}}
""")
    process = subprocess.Popen([nginx_binary(), "-p", str(folder), "-c", str(config), "-g", "daemon off;"],
                               stderr=subprocess.DEVNULL)
    wait_ready(probe_url, process=process)
    return process


# Caddy --------------------------------------------------------------------------------------------

def start_caddy(folder: Path, port: int, upstream_port: int, probe_path: str) -> subprocess.Popen:
    """A throwaway Caddy (Debian's 2.6) of its own in `folder`: `reverse_proxy` to the upstream with
    Caddy's defaults (keep-alive to the upstream), no admin endpoint, no automatic HTTPS, no access
    log; HOME and the XDG folders point into `folder`, so nothing of the machine's Caddy is read or
    written. Its own log lines (start-up, errors) go to `folder`/caddy.log."""
    caddy = shutil.which("caddy")
    if not caddy:
        raise SystemExit("caddy is needed: apt-get install caddy")
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "Caddyfile"
    config.write_text(f"""{{
\tadmin off
\tauto_https off
}}

http://127.0.0.1:{port} {{
\treverse_proxy 127.0.0.1:{upstream_port}
}}
""")
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(folder),
                   "XDG_DATA_HOME": str(folder / "data"), "XDG_CONFIG_HOME": str(folder / "config")}
    with open(folder / "caddy.log", "ab") as log:
        process = subprocess.Popen([caddy, "run", "--config", str(config), "--adapter", "caddyfile"], cwd=folder,
                                   env=environment, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_ready(f"http://127.0.0.1:{port}{probe_path}", process=process)
    except RuntimeError:
        stop([process])
        raise SystemExit(f"Caddy did not become ready; its log:\n{(folder / 'caddy.log').read_text()[-3000:]}")
    return process


# PostgreSQL ---------------------------------------------------------------------------------------

class PostgresServer:
    """A throwaway PostgreSQL server, as .ci/run starts one: initdb and pg_ctl (as the `postgres` user
    when we are root: PostgreSQL refuses to run as root) on a data folder in `folder`, listening on
    127.0.0.1 and a free port, trust authentication, fsync left on. `stop()` (also registered with
    atexit, so an error or SIGTERM-turned-SystemExit still stops it) shuts it down immediately."""

    def __init__(self, folder: Path):
        binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda path: int(Path(path).parent.name)
                          if Path(path).parent.name.isdigit() else 0)
        if not binaries:
            raise SystemExit("PostgreSQL is needed: apt-get install postgresql")
        self.bin = Path(binaries[-1])
        self.folder = folder
        self.port = free_port()
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.stopped = False
        folder.mkdir(parents=True, exist_ok=True)
        if self.as_user:
            shutil.chown(folder, "postgres", "postgres")
        folder.chmod(0o700)
        self.data = folder / "db"
        atexit.register(self.stop)
        subprocess.run([*self.as_user, str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust"],
                       check=True, stdout=subprocess.DEVNULL)
        options = f"-p {self.port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=200"
        subprocess.run([*self.as_user, str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(folder / "server.log"), "-w",
                        "-o", options, "start"], check=True, stdout=subprocess.DEVNULL)
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    @property
    def pid(self) -> int:
        """The postmaster (its backends are its children)."""
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def stop(self) -> None:
        if self.stopped:
            return
        self.stopped = True
        subprocess.run([*self.as_user, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# CPU and memory -----------------------------------------------------------------------------------

def _stat_fields(pid: int) -> list[str]:
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2:].split()  # the fields after "pid (comm)", from state (3) on


def _descendants(pid: int) -> list[int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int(_stat_fields(int(entry.name))[1])
            except (OSError, ValueError, IndexError):
                pass
    found, frontier = [], [pid]
    while frontier:
        children = [child for child, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found


def cpu_seconds(pid: int, children: bool = False) -> float:
    """utime+stime of `pid` (all its threads); with `children`, also of its live descendants and of the
    descendants already reaped (cutime+cstime), e.g. nginx or gunicorn workers."""
    pids = [pid] + (_descendants(pid) if children else [])
    ticks = 0
    for each in pids:
        try:
            fields = _stat_fields(each)
        except OSError:
            continue  # exited between the listing and the read; its time is in its parent's cutime
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))
        if children:
            ticks += int(fields[13]) + int(fields[14])  # cutime, cstime
    return ticks / CLOCK_TICKS_PER_S


class CPUMeter:
    """CPU time the serving processes use between `start()` and `stop()`, in ms.
    `targets` are (pid, children) pairs, e.g. [(nginx_master, True)] or [(thingbridge, False)]."""

    def __init__(self, targets: list[tuple[int, bool]]):
        self.targets = targets
        self.used_ms = 0.0

    def _now(self) -> float:
        return sum(cpu_seconds(pid, children) for pid, children in self.targets)

    def __enter__(self):
        self._start = self._now()
        return self

    def __exit__(self, *exc):
        self.used_ms = (self._now() - self._start) * 1000


def cpu_per_1000(cpu_ms: float, requests: int) -> float | None:
    """CPU ms per 1,000 requests served (None when nothing was served)."""
    return round(cpu_ms / requests * 1000, 1) if requests else None


def rss_kib(pid: int) -> int:
    """The process's resident memory now (VmRSS), in KiB."""
    return _status_kib(pid, "VmRSS:")


def peak_rss_kib(pid: int) -> int:
    """The process's peak resident memory (VmHWM), in KiB."""
    return _status_kib(pid, "VmHWM:")


def _status_kib(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key):
            return int(line.split()[1])
    return 0


def mib(kib: int) -> float:
    return round(kib / 1024, 1)


# wrk ----------------------------------------------------------------------------------------------

def _milliseconds(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url: str, extra: list, duration: int, connections: int, threads: int = 2, script: str | None = None,
        env: dict | None = None) -> dict:
    """Runs wrk with latency percentiles and parses requests/s, p50, p99, requests and errors."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", *extra]
    if script:
        command += ["-s", script]
    output = subprocess.run(command + [url], check=True, capture_output=True, text=True,
                            env=dict(os.environ, **(env or {}))).stdout
    percentiles = dict(re.findall(r"^\s+(50|99)(?:\.000)?%\s+(\S+)", output, re.M))
    errors = 0
    for match in re.finditer(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        errors += sum(int(group) for group in match.groups())
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": _milliseconds(percentiles["50"]),
        "p99_ms": _milliseconds(percentiles["99"]),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "errors": errors + (int(non_2xx.group(1)) if non_2xx else 0),
        "raw": output,
    }


def measured_wrk(url: str, extra: list, duration: int, connections: int, cpu_of: list[tuple[int, bool]],
                 warmup: int = 0, side_cpu_of: list[tuple[int, bool]] | None = None, **options) -> dict:
    """wrk as above (after `warmup` seconds of the same load, not counted), plus the CPU the serving
    processes `cpu_of` used during the measured run: `cpu_ms` and `cpu_ms_per_1000`. `side_cpu_of`
    (e.g. the database server) is metered apart: `side_cpu_ms_per_1000`, not in `cpu_ms`."""
    if warmup:
        wrk(url, extra, warmup, connections, **options)
    with CPUMeter(cpu_of) as meter, CPUMeter(side_cpu_of or []) as side:
        result = wrk(url, extra, duration, connections, **options)
    result["cpu_ms"] = round(meter.used_ms)
    result["cpu_ms_per_1000"] = cpu_per_1000(meter.used_ms, result["requests"])
    if side_cpu_of:
        result["side_cpu_ms_per_1000"] = cpu_per_1000(side.used_ms, result["requests"])
    return result


def perf_record(pid: int, seconds: int, output: str) -> subprocess.Popen:
    """perf (cpu-clock: this VM has no hardware counters) with call graphs, attached to `pid`."""
    return subprocess.Popen(["perf", "record", "-e", "cpu-clock", "-F", "499", "-g", "-o", output, "-p", str(pid),
                             "--", "sleep", str(max(1, seconds))], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
