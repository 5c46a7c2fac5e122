"""The relay, from the outside: ThingBridge in development mode relays each newly stored webhook
event to the app's own services, signed per Standard Webhooks v1. A small receiver in this
process stands in for such a service and records every POST; the PyPI `standardwebhooks`
package (what an app would use) checks the signatures with the secret shown once. Then the
dashboard's Relay page, in headless Chromium: adding an endpoint, its health, the deliveries
with their attempts, "Send again", rotating, replaying and removing, at 1280 and 375 px."""
import base64
import json
import os
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from selenium.webdriver.common.by import By
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.ui import WebDriverWait
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from conftest import Server, console_errors, eventually, make_driver, screenshot
from test_pages import DESKTOP, PHONE, full_screenshots, sign_in, text_of, visible

ADMIN_TOKEN = "relay-browser-tests-" + uuid.uuid4().hex
SECONDS = 15  # the relay sends at once; a busy machine may take a moment


# ---- the app's own service -----------------------------------------------------------------

@dataclass
class Received:
    path: str
    headers: dict
    body: bytes

    @property
    def webhook_id(self):
        return self.headers["webhook-id"]

    def json(self):
        return json.loads(self.body)


class Receiver:
    """An HTTP service on 127.0.0.1 that records each POST (path, headers, raw body) and answers
    200, or the statuses queued with `answer(path, ...)` first, one per request."""

    def __init__(self):
        self.received = []
        self.queued = {}
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver.lock:
                    receiver.received.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                    statuses = receiver.queued.get(self.path) or []
                    status = statuses.pop(0) if statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def answer(self, path, *statuses):
        with self.lock:
            self.queued.setdefault(path, []).extend(statuses)

    def at(self, path):
        with self.lock:
            return [item for item in self.received if item.path == path]

    def wait_for(self, path, count, seconds=SECONDS):
        """The first `count` POSTs to `path`, waiting for them; fails saying what did arrive."""
        deadline = time.time() + seconds
        while time.time() < deadline:
            got = self.at(path)
            if len(got) >= count:
                return got
            time.sleep(0.05)
        pytest.fail(f"{path} got {len(self.at(path))} of {count} deliveries in {seconds} s: "
                    f"{[(item.path, item.headers.get('webhook-id')) for item in self.received]}")

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def receiver():
    running = Receiver()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def relay_server():
    """Its own ThingBridge: an admin token for scripts, and retries without waiting."""
    running = Server(extra_env={"THINGBRIDGE_ADMIN_TOKEN": ADMIN_TOKEN, "THINGBRIDGE_RELAY_RETRY_SCHEDULE": "0,0"})
    yield running
    running.stop()


# ---- talking to ThingBridge ----------------------------------------------------------------

def admin(server, method, path, body=None):
    """The admin API with the bearer token: (status, parsed JSON or None)."""
    headers = {"Authorization": f"Bearer {ADMIN_TOKEN}", "Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(server.url + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            text = reply.read()
            return reply.status, json.loads(text) if text else None
    except urllib.error.HTTPError as error:
        text = error.read()
        return error.code, json.loads(text) if text else None


def add_endpoint(server, url, types=None):
    status, body = admin(server, "POST", "/admin/api/relay/endpoints", {"url": url, **({"types": types} if types else {})})
    assert status == 201, body
    assert body["secret"].startswith("whsec_")
    assert "not shown again" in body["note"]
    return body["endpoint"], body["secret"]


def webhook_url(server):
    with urllib.request.urlopen(server.url + "/dev/info", timeout=5) as reply:
        return json.loads(reply.read())["webhook_url"]


def order_body(event, order_id, modified="2016-04-29 08:03:38"):
    """Thingiverse's order webhook, in its documented shape (every field a string)."""
    return json.dumps({"event": event, "order": {
        "id": str(order_id), "thing_id": "2870", "amount": "14.53", "add_date": "2016-04-28 16:28:40", "modified_date": modified,
        "charges": [{"id": f"{order_id}1", "type": "item", "amount": "13.99", "description": "Printed part"}],
        "fees": "0.54", "validated_shipping_address": "123 Some St., Somecity, Somestate, 12345", "is_shipped": "true",
        "status": "paid", "note": "a note"}}).encode()


def send_webhook(server, body):
    """POSTs a body to the development webhook URL the way Thingiverse does; its status."""
    request = urllib.request.Request(webhook_url(server), data=body, headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status
    except urllib.error.HTTPError as error:
        return error.code


def send_lifecycle(server, order_id):
    """created → refund requested → refunded, each stored (200)."""
    for event in ["order_created", "refund_requested", "order_refunded"]:
        assert send_webhook(server, order_body(event, order_id)) == 200


def new_order_id():
    return str(int(uuid.uuid4().int % 9_000_000 + 1_000_000))


def wrong_secret():
    return "whsec_" + base64.b64encode(os.urandom(32)).decode()


def verified(secret, item):
    """What a Standard Webhooks receiver gets after checking the signature."""
    return Webhook(secret).verify(item.body, item.headers)


def deliveries(server, **query):
    status, body = admin(server, "GET", "/admin/api/relay/deliveries?" + "&".join(f"{k}={v}" for k, v in query.items()))
    assert status == 200, body
    return body["deliveries"]


def wait_until(condition, seconds=SECONDS, what="the condition"):
    return eventually(condition, seconds, what)


# ---- the relay, checked as an app would ----------------------------------------------------

def test_relayed_order_webhooks_verify_with_the_secret_shown_once(relay_server, receiver):
    server = relay_server
    endpoint, secret = add_endpoint(server, receiver.url("/all"))
    assert endpoint["origin"] == "database" and endpoint["enabled"] is True and endpoint["types"] == ["*"]
    # The listing never carries a secret.
    status, listing = admin(server, "GET", "/admin/api/relay/endpoints")
    assert status == 200 and secret not in json.dumps(listing) and secret[len("whsec_"):] not in json.dumps(listing)
    assert [e["id"] for e in listing["endpoints"]] == [endpoint["id"]]

    order_id = new_order_id()
    send_lifecycle(server, order_id)
    got = receiver.wait_for("/all", 3)

    types = []
    for item in got:
        assert item.headers["content-type"].startswith("application/json")
        payload = verified(secret, item)
        types.append(payload["type"])
        data = payload["data"]
        assert data["order"]["id"] == order_id
        assert isinstance(data["thingbridge"]["event_id"], int)
        assert abs(int(item.headers["webhook-timestamp"]) - time.time()) < 300
        # A wrong secret, or a changed body, does not verify.
        with pytest.raises(WebhookVerificationError):
            verified(wrong_secret(), item)
        with pytest.raises(WebhookVerificationError):
            Webhook(secret).verify(item.body.replace(order_id.encode(), b"1"), item.headers)
    # (refund_requested's type has a test of its own below.)
    assert len(types) == 3 and {"thingiverse.order.created", "thingiverse.order.refunded"} <= set(types)
    assert len({item.webhook_id for item in got}) == 3
    states = {payload["type"]: payload["data"]["thingbridge"].get("order_state") for payload in (item.json() for item in got)}
    assert states["thingiverse.order.refunded"] == "refunded"

    # The admin API tells the same story: three delivered, nothing pending.
    wait_until(lambda: all(d["state"] == "delivered" for d in deliveries(server, endpoint=endpoint["id"])), what="all delivered")
    listed = deliveries(server, endpoint=endpoint["id"])
    assert sorted(d["webhook_id"] for d in listed) == sorted(item.webhook_id for item in got)
    assert all(d["last_status"] == 200 and d["attempts"] == 1 for d in listed)
    status, listing = admin(server, "GET", "/admin/api/relay/endpoints")
    health = listing["endpoints"][0]["health"]
    assert (health["pending"], health["delivered"], health["failed"]) == (0, 3, 0)

    assert admin(server, "DELETE", f"/admin/api/relay/endpoints/{endpoint['id']}")[0] == 204
    assert admin(server, "GET", "/admin/api/relay/endpoints")[1]["endpoints"] == []


def test_an_endpoint_for_refunds_gets_only_refunds_and_only_new_events(relay_server, receiver):
    server = relay_server
    refunds, refunds_secret = add_endpoint(server, receiver.url("/refunds"), ["thingiverse.order.refunded"])
    everything, everything_secret = add_endpoint(server, receiver.url("/everything"))
    assert refunds["types"] == ["thingiverse.order.refunded"]

    first = new_order_id()
    send_lifecycle(server, first)
    # A repeat of a stored event and a ping are not relayed.
    assert send_webhook(server, order_body("order_created", first)) == 200
    assert send_webhook(server, b'{"event": "ping"}') == 200
    # A second refund marks the end: once it has arrived everywhere, nothing else is on its way.
    second = new_order_id()
    assert send_webhook(server, order_body("order_refunded", second)) == 200

    got_all = receiver.wait_for("/everything", 4)
    got_refunds = receiver.wait_for("/refunds", 2)
    time.sleep(1)
    assert [verified(everything_secret, item)["data"]["event"] for item in receiver.at("/everything")] == [
        "order_created", "refund_requested", "order_refunded", "order_refunded"]
    refunds_payloads = [verified(refunds_secret, item) for item in receiver.at("/refunds")]
    assert [p["type"] for p in refunds_payloads] == ["thingiverse.order.refunded"] * 2
    assert [p["data"]["order"]["id"] for p in refunds_payloads] == [first, second]
    # Each endpoint has its own secret and its own webhook-ids.
    with pytest.raises(WebhookVerificationError):
        verified(everything_secret, got_refunds[0])
    assert not {item.webhook_id for item in got_refunds} & {item.webhook_id for item in got_all}
    assert len(deliveries(server, endpoint=refunds["id"])) == 2

    for endpoint in (refunds, everything):
        assert admin(server, "DELETE", f"/admin/api/relay/endpoints/{endpoint['id']}")[0] == 204


def test_a_retry_after_a_500_carries_the_same_webhook_id(relay_server, receiver):
    server = relay_server
    endpoint, secret = add_endpoint(server, receiver.url("/flaky"))
    receiver.answer("/flaky", 500)
    order_id = new_order_id()
    assert send_webhook(server, order_body("order_created", order_id)) == 200

    first, second = receiver.wait_for("/flaky", 2)
    assert first.webhook_id == second.webhook_id
    assert first.body == second.body
    assert verified(secret, first)["data"]["order"]["id"] == order_id
    assert verified(secret, second)["data"]["order"]["id"] == order_id

    delivery = wait_until(lambda: next((d for d in deliveries(server, endpoint=endpoint["id"]) if d["state"] == "delivered"), None),
                          what="the delivery succeeding on its retry")
    assert (delivery["attempts"], delivery["total_attempts"], delivery["last_status"]) == (2, 2, 200)
    assert delivery["webhook_id"] == first.webhook_id
    status, detail = admin(server, "GET", f"/admin/api/relay/deliveries/{delivery['id']}")
    assert status == 200
    assert [attempt["status"] for attempt in detail["history"]] == [500, 200]
    assert detail["history"][0]["error"]

    # "Send again" (retry) sends it once more, still with the same webhook-id.
    status, again = admin(server, "POST", f"/admin/api/relay/deliveries/{delivery['id']}/retry")
    assert status == 200 and again["state"] == "pending" and again["webhook_id"] == first.webhook_id
    third = receiver.wait_for("/flaky", 3)[2]
    assert third.webhook_id == first.webhook_id
    assert verified(secret, third)["type"] == "thingiverse.order.created"

    assert admin(server, "DELETE", f"/admin/api/relay/endpoints/{endpoint['id']}")[0] == 204


def test_a_refund_request_is_relayed_as_thingiverse_order_refund_requested(relay_server, receiver):
    server = relay_server
    endpoint, secret = add_endpoint(server, receiver.url("/order-types"), ["thingiverse.order.*"])
    try:
        order_id = new_order_id()
        send_lifecycle(server, order_id)
        # The refund marks the end; by then the request before it was relayed too, if it matched.
        receiver.wait_for("/order-types", 2)
        wait_until(lambda: any(verified(secret, item)["type"] == "thingiverse.order.refunded" for item in receiver.at("/order-types")),
                   what="the refund arriving")
        time.sleep(0.5)
        assert [verified(secret, item)["type"] for item in receiver.at("/order-types")] == [
            "thingiverse.order.created", "thingiverse.order.refund_requested", "thingiverse.order.refunded"]
    finally:
        assert admin(server, "DELETE", f"/admin/api/relay/endpoints/{endpoint['id']}")[0] == 204


def test_a_configured_endpoint_signs_with_the_configured_secret_and_is_changed_only_there(receiver):
    secret = wrong_secret()  # any fresh whsec_ secret
    server = Server(extra_env={
        "THINGBRIDGE_RELAY_ENDPOINTS": receiver.url("/configured"), "THINGBRIDGE_RELAY_SECRET": secret,
        "THINGBRIDGE_ADMIN_TOKEN": ADMIN_TOKEN})
    driver = None
    try:
        status, listing = admin(server, "GET", "/admin/api/relay/endpoints")
        [endpoint] = listing["endpoints"]
        assert endpoint["origin"] == "configuration" and endpoint["url"] == receiver.url("/configured")
        status, body = admin(server, "DELETE", f"/admin/api/relay/endpoints/{endpoint['id']}")
        assert status == 409 and "THINGBRIDGE_RELAY_ENDPOINTS" in body["message"]
        assert admin(server, "POST", f"/admin/api/relay/endpoints/{endpoint['id']}/rotate-secret")[0] == 409

        order_id = new_order_id()
        assert send_webhook(server, order_body("order_created", order_id)) == 200
        [item] = receiver.wait_for("/configured", 1)
        assert verified(secret, item)["data"]["order"]["id"] == order_id

        # The page says where it comes from and offers no Remove or Rotate for it.
        driver = make_driver()
        sign_in(driver, server, "makerbot")
        visible(driver, "#signed-in")
        driver.get(server.url + "/admin/relay/")
        card = visible(driver, f"li.relay-endpoint[data-endpoint-id='{endpoint['id']}']")
        assert "From THINGBRIDGE_RELAY_ENDPOINTS" in card.text
        assert "THINGBRIDGE_RELAY_SECRET" in card.find_element(By.CSS_SELECTOR, ".configured-hint").text
        assert not card.find_elements(By.CSS_SELECTOR, "button[data-action=remove], button[data-action=rotate]")
        assert card.find_elements(By.CSS_SELECTOR, "button[data-action=replay]")
        until(driver, lambda d: text_of(d, f"li[data-endpoint-id='{endpoint['id']}'] [data-stat=delivered] dd") == "1")
        assert console_errors(driver) == []
    finally:
        if driver:
            driver.quit()
        server.stop()


# ---- the Relay page ------------------------------------------------------------------------

def test_the_relay_page_has_the_content_security_policy_and_no_inline_code(relay_server):
    for path in ["/admin/relay", "/admin/relay/"]:
        with urllib.request.urlopen(relay_server.url + path, timeout=5) as reply:
            assert reply.url == relay_server.url + "/admin/relay/"
            policy = reply.headers.get("Content-Security-Policy") or ""
            html = reply.read().decode()
        assert "script-src 'self'" in policy and "style-src 'self'" in policy
        assert "<script>" not in html and " style=" not in html and "<style" not in html and " onclick=" not in html


def until(driver, condition, seconds=SECONDS):
    """Waits for `condition(driver)`; the live refresh may replace elements meanwhile."""
    return WebDriverWait(driver, seconds, ignored_exceptions=(StaleElementReferenceException,)).until(condition)


def click(driver, locate):
    """Clicks what `locate(driver)` finds, again if the live refresh replaced it in between
    (a person would click the new one; the test must not hold on to the old)."""
    def attempt(d):
        locate(d).click()
        return True
    until(driver, attempt)


def text_when(driver, locate, condition):
    """The text of what `locate(driver)` finds, once `condition(text)` holds."""
    def attempt(d):
        text = locate(d).text
        return text if condition(text) else None
    return until(driver, attempt)


def row_of(driver, delivery_id):
    return driver.find_element(By.ID, f"delivery-{delivery_id}")


def rows(driver):
    return driver.find_elements(By.CSS_SELECTOR, "#deliveries-body tr[data-delivery-id]")


def endpoint_item(driver, endpoint_id):
    return driver.find_element(By.CSS_SELECTOR, f"li.relay-endpoint[data-endpoint-id='{endpoint_id}']")


def stat(driver, endpoint_id, name):
    return endpoint_item(driver, endpoint_id).find_element(By.CSS_SELECTOR, f"[data-stat={name}] dd").text


def refresh_now(driver):
    driver.find_element(By.ID, "refresh").click()


def add_through_the_page(driver, url, types=""):
    """Fills the form and returns (endpoint id, the secret shown once), then hides the secret."""
    before = {item.get_attribute("data-endpoint-id") for item in driver.find_elements(By.CSS_SELECTOR, "li.relay-endpoint")}
    field = driver.find_element(By.ID, "add-url")
    field.clear()
    field.send_keys(url)
    driver.find_element(By.ID, "add-types").clear()
    if types:
        driver.find_element(By.ID, "add-types").send_keys(types)
    driver.find_element(By.ID, "add-submit").click()
    box = visible(driver, "#secret-box")
    secret = driver.find_element(By.ID, "secret-value").text
    assert secret.startswith("whsec_")
    assert "Endpoint added" in text_of(driver, "#secret-title")
    assert url in text_of(driver, "#secret-for")
    assert "only time" in box.text
    until(driver, lambda d: {i.get_attribute("data-endpoint-id") for i in d.find_elements(By.CSS_SELECTOR, "li.relay-endpoint")} - before)
    [new] = {i.get_attribute("data-endpoint-id") for i in driver.find_elements(By.CSS_SELECTOR, "li.relay-endpoint")} - before
    assert new in text_of(driver, "#secret-for")
    return new, secret


def assert_no_secret_kept(driver, *secrets):
    """Not in the address bar, not in the browser's storage."""
    kept = driver.execute_script(
        "return location.href + JSON.stringify(Object.assign({}, localStorage)) + JSON.stringify(Object.assign({}, sessionStorage))"
        " + document.cookie")
    for secret in secrets:
        body = secret[len("whsec_"):]
        assert secret not in kept and body not in kept and urllib.parse.quote(body, safe="") not in kept


def section_screenshots(driver, element_id, name):
    """One part of the page in view at 1280 and 375 px."""
    for width, height, suffix in [(DESKTOP, 900, "desktop"), (PHONE, 812, "phone")]:
        driver.set_window_size(width, height)
        time.sleep(0.3)
        driver.execute_script("document.getElementById(arguments[0]).scrollIntoView({block: 'start'})", element_id)
        time.sleep(0.2)
        screenshot(driver, f"{name}-{suffix}")
    driver.execute_script("window.scrollTo(0, 0)")
    driver.set_window_size(DESKTOP, 900)


def test_the_relay_page_adds_an_endpoint_shows_deliveries_and_sends_one_again(receiver):
    server = Server(extra_env={"THINGBRIDGE_RELAY_RETRY_SCHEDULE": "0,0"})
    driver = make_driver()
    try:
        # Signed out, the page asks to sign in and comes back to it.
        driver.get(server.url + "/admin/relay")
        visible(driver, "#gate")
        assert text_of(driver, "#gate-title") == "Sign in to see the relay"
        sign_in(driver, server, "makerbot", start="/admin/relay/")
        visible(driver, "#dashboard")
        assert driver.current_url == server.url + "/admin/relay/"

        # From the orders, the Relay tab; nothing there yet, and the page says how to start.
        driver.get(server.url + "/admin")
        visible(driver, "#tab-relay").click()
        visible(driver, "#endpoints-empty")
        assert driver.current_url == server.url + "/admin/relay/"
        empty = text_of(driver, "#endpoints-empty")
        assert "No relay endpoints yet." in empty and "THINGBRIDGE_RELAY_ENDPOINTS" in empty and "Add your service's URL below" in empty
        assert "Add an endpoint above" in text_of(driver, "#deliveries-empty")
        assert text_of(driver, "#endpoints-count") == "none yet"
        full_screenshots(driver, "relay-empty")

        # A URL that is not http(s) is refused before anything is sent.
        driver.find_element(By.ID, "add-url").send_keys("ftp://shop.example.com/hooks")
        driver.find_element(By.ID, "add-submit").click()
        assert "http:// or https://" in visible(driver, "#add-error .notice").text
        assert driver.find_element(By.ID, "add-url").get_attribute("aria-invalid") == "true"

        # Adding one shows its secret once, in the page only.
        endpoint_id, secret = add_through_the_page(driver, receiver.url("/page"))
        assert not driver.find_elements(By.CSS_SELECTOR, "#add-error .notice")
        assert driver.find_element(By.ID, "add-url").get_attribute("value") == ""
        assert_no_secret_kept(driver, secret)
        section_screenshots(driver, "secret-box", "relay-secret")
        driver.find_element(By.ID, "secret-done").click()
        until(driver, lambda d: not d.find_element(By.ID, "secret-box").is_displayed())
        assert driver.find_element(By.ID, "secret-value").get_attribute("textContent") == ""
        item = endpoint_item(driver, endpoint_id)
        assert receiver.url("/page") in item.text and "Enabled" in item.text and "Every event" in item.text
        assert stat(driver, endpoint_id, "last-delivered") == "never"

        # A second one that answers 410 Gone: the relay disables it and the page says why.
        gone_id, _ = add_through_the_page(driver, receiver.url("/gone"), "thingiverse.order.*")
        driver.find_element(By.ID, "secret-done").click()
        receiver.answer("/gone", *[410] * 5)

        # An order arrives from Thingiverse; the service gets it signed with that secret.
        order_id = new_order_id()
        assert send_webhook(server, order_body("order_created", order_id)) == 200
        [created] = receiver.wait_for("/page", 1)
        assert verified(secret, created)["type"] == "thingiverse.order.created"
        receiver.wait_for("/gone", 1)
        refresh_now(driver)
        until(driver, lambda d: "Disabled" in endpoint_item(d, gone_id).text)
        assert "410" in endpoint_item(driver, gone_id).find_element(By.CSS_SELECTOR, ".endpoint-disabled").text
        assert stat(driver, gone_id, "failed") == "1"

        # The next event goes to the enabled endpoint only.
        assert send_webhook(server, order_body("refund_requested", order_id)) == 200
        requested = receiver.wait_for("/page", 2)[1]
        assert verified(secret, requested)["data"]["event"] == "refund_requested"
        refresh_now(driver)
        until(driver, lambda d: len(rows(d)) == 3 and stat(d, endpoint_id, "delivered") == "2")
        assert stat(driver, endpoint_id, "last-delivered") != "never"
        by_webhook_id = {row.get_attribute("data-webhook-id"): row.get_attribute("data-delivery-id") for row in rows(driver)}
        delivery_id = by_webhook_id[created.webhook_id]
        assert row_of(driver, delivery_id).get_attribute("data-state") == "delivered"
        assert "thingiverse.order.created" in row_of(driver, delivery_id).text and "200" in row_of(driver, delivery_id).text
        [gone_row] = [row for row in rows(driver) if row.get_attribute("data-state") == "failed"]
        assert "410" in gone_row.find_element(By.CSS_SELECTOR, ".delivery-last").text
        full_screenshots(driver, "relay-deliveries")

        # The attempts of the created order's delivery: one, answered 200.
        click(driver, lambda d: row_of(d, delivery_id).find_element(By.CSS_SELECTOR, "button[data-action=history]"))
        attempts = until(driver, lambda d: d.find_elements(By.CSS_SELECTOR, f"#history-{delivery_id} li.attempt"))
        assert [a.get_attribute("data-status") for a in attempts] == ["200"]
        assert created.webhook_id in text_of(driver, f"#history-{delivery_id}")
        assert row_of(driver, delivery_id).find_element(By.CSS_SELECTOR, "button[data-action=history]").get_attribute("aria-expanded") == "true"

        # "Send again": the service gets it once more, with the same webhook-id, and the page shows the second attempt.
        click(driver, lambda d: row_of(d, delivery_id).find_element(By.CSS_SELECTOR, "button[data-action=send-again]"))
        again = receiver.wait_for("/page", 3)[2]
        assert again.webhook_id == created.webhook_id
        assert verified(secret, again)["data"]["order"]["id"] == order_id
        assert "same webhook-id" in visible(driver, "#delivery-status").text
        until(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, f"#history-{delivery_id} li.attempt")) == 2)
        until(driver, lambda d: row_of(d, delivery_id).get_attribute("data-state") == "delivered")
        assert row_of(driver, delivery_id).find_element(By.CSS_SELECTOR, ".delivery-attempts").text == "2 (1 since sent again)"
        assert [a.get_attribute("data-status") for a in driver.find_elements(By.CSS_SELECTOR, f"#history-{delivery_id} li.attempt")] == ["200", "200"]
        section_screenshots(driver, f"delivery-{delivery_id}", "relay-history")

        # Filters: the failed one only.
        Select(driver.find_element(By.ID, "filter-state")).select_by_value("failed")
        until(driver, lambda d: [r.get_attribute("data-state") for r in rows(d)] == ["failed"])
        Select(driver.find_element(By.ID, "filter-state")).select_by_value("")
        until(driver, lambda d: len(rows(d)) == 3)

        # Rotating: a new secret shown once; for a day the old one signs beside it.
        click(driver, lambda d: endpoint_item(d, endpoint_id).find_element(By.CSS_SELECTOR, "button[data-action=rotate]"))
        until(driver, lambda d: "Secret rotated" in text_of(d, "#secret-title"))
        rotated = driver.find_element(By.ID, "secret-value").text
        assert rotated.startswith("whsec_") and rotated != secret
        assert "old secret" in text_of(driver, "#secret-note")
        assert_no_secret_kept(driver, secret, rotated)
        driver.find_element(By.ID, "secret-done").click()
        until(driver, lambda d: "old secret signs beside the new one" in endpoint_item(d, endpoint_id).text)
        assert send_webhook(server, order_body("order_refunded", order_id)) == 200
        refund = receiver.wait_for("/page", 4)[3]
        assert verified(rotated, refund)["type"] == "thingiverse.order.refunded"
        assert verified(secret, refund)["type"] == "thingiverse.order.refunded"

        # Replaying the last hour sends the three events again, with their original webhook-ids.
        click(driver, lambda d: endpoint_item(d, endpoint_id).find_element(By.CSS_SELECTOR, "button[data-action=replay]"))
        status = text_when(driver, lambda d: endpoint_item(d, endpoint_id).find_element(By.CSS_SELECTOR, ".endpoint-status"),
                           lambda text: "queued to be sent again" in text)
        assert status.startswith("3 events since")
        replayed = receiver.wait_for("/page", 7)[4:7]
        assert sorted(item.webhook_id for item in replayed) == sorted({item.webhook_id for item in receiver.at("/page")[:4]})

        # Removing asks first; then the endpoint and its deliveries are gone.
        click(driver, lambda d: endpoint_item(d, gone_id).find_element(By.CSS_SELECTOR, "button[data-action=remove]"))
        until(driver, lambda d: "deleted with it" in endpoint_item(d, gone_id).find_element(By.CSS_SELECTOR, ".endpoint-confirm").text)
        click(driver, lambda d: endpoint_item(d, gone_id).find_element(By.CSS_SELECTOR, "button[data-action=keep]"))
        until(driver, lambda d: endpoint_item(d, gone_id).find_elements(By.CSS_SELECTOR, "button[data-action=remove]"))
        click(driver, lambda d: endpoint_item(d, gone_id).find_element(By.CSS_SELECTOR, "button[data-action=remove]"))
        click(driver, lambda d: endpoint_item(d, gone_id).find_element(By.CSS_SELECTOR, "button[data-action=confirm-remove]"))
        until(driver, lambda d: not d.find_elements(By.CSS_SELECTOR, f"li.relay-endpoint[data-endpoint-id='{gone_id}']"))
        until(driver, lambda d: all(r.get_attribute("data-state") == "delivered" for r in rows(d)))
        full_screenshots(driver, "relay-page")
        assert console_errors(driver) == []
    finally:
        driver.quit()
        server.stop()
