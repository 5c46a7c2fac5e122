"""Operations, from the outside (issue 24): a real ThingBridge with `OTEL_EXPORTER_OTLP_ENDPOINT`
pointing at an OTLP/HTTP receiver in this process (the protobuf decoded with PyPI's
`opentelemetry-proto`), a relay endpoint of its own, and `THINGBRIDGE_LOG_FORMAT=json`.

One run signs in through the built-in simulator, proxies an API call, stores a webhook and
relays it; then:
- the webhook's trace holds the request's span, the group commit's and the relay attempt's
  (a child of the request, and linked to it), and the endpoint got a `traceparent` of it;
- no exported name or attribute (spans, links, events, resource) holds a secret, a token,
  the session cookie or a piece of the raw body;
- every line ThingBridge wrote parses as JSON, none holds a secret, and lines written inside
  a span carry its trace_id and span_id.
A second run with tracing off checks that nothing is exported and the JSON lines carry no ids.

Usage: python3 -m pytest -q Tests/operations   (THINGBRIDGE_BINARY or .build/debug/thingbridge)
"""
import base64
import gzip
import http.cookiejar
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2

ROOT = Path(__file__).resolve().parents[2]
# The browser checks' helpers for a free port and the binary to run, not a copy of them.
sys.path.insert(0, str(ROOT / "Tests" / "browser"))
from conftest import binary, eventually, free_port, wait_until_ready  # noqa: E402
WEBHOOK_SECRET = "tracing-webhook-secret-" + uuid.uuid4().hex
USERECHO_SECRET = "tracing-userecho-secret-" + uuid.uuid4().hex
ADMIN_TOKEN = "tracing-admin-token-" + uuid.uuid4().hex
RELAY_SECRET = "whsec_" + base64.b64encode(os.urandom(24)).decode()
SESSION_KEY = base64.b64encode(os.urandom(32)).decode()
# A collector's key, as a vendor would have it sent: it must reach the collector and no log line.
COLLECTOR_KEY = "collector-key-" + uuid.uuid4().hex
# A piece of the webhook's body that is in no span name or id: the raw body must not be exported.
BODY_MARKER = "Unit 7, Tracing Lane " + uuid.uuid4().hex
SECONDS = 20


class Recorder:
    """An HTTP server on 127.0.0.1 recording every POST: (path, headers, body)."""

    def __init__(self, answer=b""):
        self.received = []
        self.lock = threading.Lock()
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if (self.headers.get("Content-Encoding") or "").lower() == "gzip":
                    body = gzip.decompress(body)
                with recorder.lock:
                    recorder.received.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def items(self):
        with self.lock:
            return list(self.received)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class OTLPReceiver(Recorder):
    """OTLP/HTTP's traces endpoint: `POST /v1/traces` with an ExportTraceServiceRequest."""

    def __init__(self):
        super().__init__(answer=trace_service_pb2.ExportTraceServiceResponse().SerializeToString())

    def requests(self):
        decoded = []
        for path, headers, body in self.items():
            assert path == "/v1/traces", path
            assert headers.get("content-type") == "application/x-protobuf", headers
            assert headers.get("x-collector-key") == COLLECTOR_KEY, headers
            request = trace_service_pb2.ExportTraceServiceRequest()
            request.ParseFromString(body)
            decoded.append(request)
        return decoded

    def spans(self):
        return [span for request in self.requests() for resource_spans in request.resource_spans
                for scope_spans in resource_spans.scope_spans for span in scope_spans.spans]


class Bridge:
    """ThingBridge in development mode (simulators), its secrets set, JSON logs on stdout."""

    def __init__(self, relay_url: str, otlp_url: str | None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.folder = Path(tempfile.mkdtemp(prefix="thingbridge-operations-"))
        environment = {key: value for key, value in os.environ.items() if not key.startswith("OTEL_")}
        environment.update({
            "THINGBRIDGE_PORT": str(self.port),
            "THINGBRIDGE_DATABASE_URL": f"sqlite:{self.folder}/thingbridge.sqlite",
            "THINGBRIDGE_LOG_FORMAT": "json",
            "THINGBRIDGE_LOG_LEVEL": "debug",
            "THINGBRIDGE_WEBHOOK_SECRETS": WEBHOOK_SECRET,
            "USERECHO_WEBHOOK_SECRETS": USERECHO_SECRET,
            "THINGBRIDGE_SESSION_KEYS": SESSION_KEY,
            "THINGBRIDGE_ADMIN_TOKEN": ADMIN_TOKEN,
            "THINGBRIDGE_RELAY_ENDPOINTS": relay_url + "/hooks?key=" + RELAY_SECRET[6:12],
            "THINGBRIDGE_RELAY_SECRET": RELAY_SECRET,
        })
        if otlp_url:
            environment.update({
                "OTEL_EXPORTER_OTLP_ENDPOINT": otlp_url,
                "OTEL_SERVICE_NAME": "thingbridge-under-test",
                "OTEL_BSP_SCHEDULE_DELAY": "100",
                "OTEL_TRACES_SAMPLER": "always_on",
                "OTEL_EXPORTER_OTLP_HEADERS": f"x-collector-key={COLLECTOR_KEY}",
            })
        self.log_path = self.folder / "stdout.log"
        self.log = open(self.log_path, "wb")
        self.errors_path = self.folder / "stderr.log"
        self.errors = open(self.errors_path, "wb")
        self.process = subprocess.Popen([binary()], cwd=ROOT, env=environment, stdout=self.log, stderr=self.errors)
        if wait_until_ready(self.url, self.process):
            return
        self.stop()
        raise RuntimeError("ThingBridge did not start: " + self.errors_path.read_text() + self.log_path.read_text()[-2000:])

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()
        self.errors.close()

    def lines(self):
        return self.log_path.read_text().splitlines()


def sign_in(bridge: Bridge):
    """The code flow against the built-in simulator, as a browser (cookies, no JavaScript)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(bridge.url + "/auth/login", timeout=10)
    fields = dict(urllib.parse.parse_qsl(urllib.parse.urlparse(page.geturl()).query))
    fields.update(user="alice_prints", decision="allow")
    opener.open(bridge.url + "/sim/login/oauth/authorize", urllib.parse.urlencode(fields).encode(), timeout=10).read()
    cookies = [cookie.value for cookie in jar]
    assert cookies, "no session cookie after the sign-in"
    return opener, cookies


def exercise(bridge: Bridge):
    """Signs in, proxies, stores a webhook (and a repeat of it) and a quarantined body.
    Returns what must appear nowhere: the cookies' values."""
    opener, cookies = sign_in(bridge)
    with opener.open(bridge.url + "/api/users/me", timeout=10) as reply:
        assert reply.status == 200
    body = json.dumps({"event": "order_created", "order": {
        "id": "424242", "thing_id": "2870", "amount": "14.53", "add_date": "2016-04-28 16:28:40",
        "modified_date": "2016-04-29 08:03:38", "fees": "0.54", "validated_shipping_address": BODY_MARKER,
        "status": "paid"}}).encode()
    webhook = f"{bridge.url}/webhooks/thingiverse/{WEBHOOK_SECRET}"
    for _ in range(2):
        request = urllib.request.Request(webhook, data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as reply:
            assert reply.status == 200
    try:
        urllib.request.urlopen(urllib.request.Request(webhook, data=b"{not json " + BODY_MARKER.encode()), timeout=10)
    except urllib.error.HTTPError:
        pass
    return cookies


def secrets(cookies):
    return [WEBHOOK_SECRET, USERECHO_SECRET, ADMIN_TOKEN, RELAY_SECRET, RELAY_SECRET[6:], SESSION_KEY, BODY_MARKER, COLLECTOR_KEY] + cookies


def wait_for(condition, what):
    return eventually(condition, SECONDS, what)


def attribute_texts(attributes):
    """Every key and value of OTLP attributes, nested values included, as text."""
    texts = []
    for attribute in attributes:
        texts.append(attribute.key)
        texts.append(str(attribute.value))
    return texts


def exported_texts(requests):
    texts = []
    for request in requests:
        for resource_spans in request.resource_spans:
            texts += attribute_texts(resource_spans.resource.attributes)
            for scope_spans in resource_spans.scope_spans:
                for span in scope_spans.spans:
                    texts.append(span.name)
                    texts += attribute_texts(span.attributes)
                    texts.append(span.status.message)
                    for event in span.events:
                        texts.append(event.name)
                        texts += attribute_texts(event.attributes)
                    for link in span.links:
                        texts += attribute_texts(link.attributes)
    return texts


def check_json_lines(bridge: Bridge, forbidden):
    lines = bridge.lines()
    assert lines, "ThingBridge wrote nothing"
    records = []
    for number, line in enumerate(lines, 1):
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            pytest.fail(f"line {number} is not JSON ({error}): {line[:300]}")
        assert isinstance(record, dict), line
        for field in ("time", "level", "message"):
            assert field in record, f"line {number} has no {field}: {line[:300]}"
        for secret in forbidden:
            assert secret not in line, f"line {number} holds a secret: {line[:300]}"
        records.append(record)
    return records


@pytest.fixture(scope="module")
def traced_run():
    relay = Recorder()
    otlp = OTLPReceiver()
    bridge = Bridge(relay.url, otlp.url)
    try:
        cookies = exercise(bridge)
        delivered = wait_for(lambda: [item for item in relay.items() if item[0].startswith("/hooks")], "a relay delivery")
        wait_for(lambda: any(span.name == "relay.attempt" for span in otlp.spans()), "a relay attempt span exported")
    finally:
        bridge.stop()
        relay.stop()
        otlp.stop()
    return bridge, otlp, delivered, cookies


def test_one_webhook_makes_one_trace_from_request_through_commit_to_relay(traced_run):
    _, otlp, delivered, _ = traced_run
    assert len(delivered) == 1, "the repeat is a duplicate and is not relayed"
    _, headers, _ = delivered[0]
    traceparent = headers.get("traceparent")
    assert traceparent, f"the relay attempt carried no traceparent: {headers}"
    version, trace_id, parent_span_id, flags = traceparent.split("-")
    assert version == "00" and len(trace_id) == 32 and len(parent_span_id) == 16 and flags == "01"

    spans = otlp.spans()
    trace = [span for span in spans if span.trace_id.hex() == trace_id]
    names = {span.name for span in trace}
    by_id = {span.span_id.hex(): span for span in trace}
    requests = [span for span in trace if span.name.startswith("POST /webhooks/thingiverse/")]
    assert len(requests) == 1, names
    request = requests[0]
    assert WEBHOOK_SECRET not in request.name
    assert request.kind == request.SPAN_KIND_SERVER
    commits = [span for span in trace if span.name == "event_log.commit"]
    assert len(commits) == 1 and commits[0].parent_span_id == request.span_id, names
    attempts = [span for span in trace if span.name == "relay.attempt"]
    assert len(attempts) == 1, names
    attempt = attempts[0]
    assert attempt.parent_span_id == request.span_id
    assert [link.span_id for link in attempt.links] == [request.span_id]
    # The endpoint's traceparent names the attempt's HTTP call, a child of the attempt.
    call = by_id.get(parent_span_id)
    assert call is not None and call.parent_span_id == attempt.span_id, names
    resource = {a.key: a.value.string_value for rs in otlp.requests()[0].resource_spans for a in rs.resource.attributes}
    assert resource.get("service.name") == "thingbridge-under-test"

    # The sign-in and the proxy made their own traces, with the upstream calls inside.
    assert any(span.name == "GET /api/{path}" or span.name.startswith("GET /api/") for span in spans), {s.name for s in spans}
    assert any(span.name.startswith("Thingiverse ") and span.kind == span.SPAN_KIND_CLIENT for span in spans)


def test_no_exported_name_or_attribute_holds_a_secret_a_token_or_the_body(traced_run):
    _, otlp, _, cookies = traced_run
    texts = exported_texts(otlp.requests())
    assert texts
    for secret in secrets(cookies):
        leaks = [text for text in texts if secret in text]
        assert not leaks, f"exported: {leaks[:3]}"
    for text in texts:
        # A route may be named access_token (the simulator's token endpoint); a token's value may not appear.
        for marker in ("access_token=", '"access_token"', "Bearer ", "tb_session="):
            assert marker not in text, text


def test_every_log_line_is_json_without_secrets_and_spans_lines_carry_their_ids(traced_run):
    bridge, otlp, _, cookies = traced_run
    records = check_json_lines(bridge, secrets(cookies))
    requests = [record for record in records if record["message"] == "request"]
    assert requests and all("trace_id" in record and "span_id" in record for record in requests)
    exported = {span.trace_id.hex() for span in otlp.spans()}
    assert {record["trace_id"] for record in requests} <= exported
    webhook_lines = [record for record in requests if record.get("http.route", "").startswith("/webhooks/thingiverse/")]
    assert webhook_lines and all(WEBHOOK_SECRET not in json.dumps(record) for record in webhook_lines)


def test_without_an_endpoint_nothing_is_traced_and_lines_are_still_json():
    relay = Recorder()
    bridge = Bridge(relay.url, None)
    try:
        cookies = exercise(bridge)
        delivered = wait_for(lambda: [item for item in relay.items() if item[0].startswith("/hooks")], "a relay delivery")
    finally:
        bridge.stop()
        relay.stop()
    assert "traceparent" not in delivered[0][1]
    records = check_json_lines(bridge, secrets(cookies))
    assert not any("trace_id" in record for record in records)
    assert any(record["message"] == "request" for record in records)
