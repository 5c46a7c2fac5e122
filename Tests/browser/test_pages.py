"""The pages people see, in a real browser against a real ThingBridge in development mode:
the start page (profile, gallery, API console), the /admin dashboard filled by simulated
webhooks, and their error states. Each test saves screenshots at desktop and phone width."""
import json
import time
import urllib.error
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.ui import WebDriverWait

from conftest import Server, console_errors, make_driver, screenshot
from test_signin import allow_as

DESKTOP = 1280
PHONE = 375
CSP_PARTS = ["default-src 'self'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"]


def wait(driver, seconds=10):
    return WebDriverWait(driver, seconds)


def visible(driver, selector, seconds=10):
    return wait(driver, seconds).until(EC.visibility_of_element_located((By.CSS_SELECTOR, selector)))


def text_of(driver, selector):
    return driver.find_element(By.CSS_SELECTOR, selector).text


def full_screenshots(driver, name):
    """The whole page at desktop width (the window grows to the page's height), and at phone
    width in screen-sized parts (`-phone-1`, `-phone-2`, ...) that stay readable."""
    driver.set_window_size(DESKTOP, 900)
    height = page_height(driver)
    driver.set_window_size(DESKTOP, min(max(height + 140, 700), 6000))
    time.sleep(0.3)  # the dashboard redraws its chart for the new width
    screenshot(driver, f"{name}-desktop")

    driver.set_window_size(PHONE, 812)
    time.sleep(0.3)
    overflow = driver.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name} scrolls sideways at {PHONE}px"
    viewport = driver.execute_script("return window.innerHeight")
    height = page_height(driver)
    for part, top in enumerate(range(0, max(1, height - 40), max(200, viewport - 60)), start=1):
        driver.execute_script("window.scrollTo(0, arguments[0])", top)
        screenshot(driver, f"{name}-phone-{part}")
        if part == 6:
            break
    driver.execute_script("window.scrollTo(0, 0)")
    driver.set_window_size(DESKTOP, 900)


def page_height(driver):
    return driver.execute_script("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")


def sign_in(driver, server, user, start="/"):
    driver.get(server.url + start)
    if start == "/":
        visible(driver, "#signin-code").click()
    else:
        visible(driver, "#gate-signin").click()
    allow_as(driver, user)


def post_json(url, body, origin=None):
    headers = {"Content-Type": "application/json"}
    if origin:
        headers["Origin"] = origin
    data = json.dumps(body).encode() if not isinstance(body, bytes) else body
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers, method="POST"), timeout=10) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def network_errors_only(errors, status):
    """Console entries that are not the expected failed request with this status."""
    return [entry for entry in errors if f"status of {status}" not in entry["message"]]


def test_every_page_has_the_content_security_policy(server):
    for path in ["/", "/admin", "/admin/", "/no-such-page", "/auth/callback?code=x&state=y"]:
        request = urllib.request.Request(server.url + path, headers={"Accept": "text/html"})
        try:
            reply = urllib.request.urlopen(request, timeout=5)
        except urllib.error.HTTPError as error:
            reply = error
        if "text/html" not in (reply.headers.get("Content-Type") or ""):
            continue
        policy = reply.headers.get("Content-Security-Policy") or ""
        for part in CSP_PARTS:
            assert part in policy, f"{path}: {policy}"
    for path in ["/", "/admin/"]:
        with urllib.request.urlopen(server.url + path, timeout=5) as reply:
            html = reply.read().decode()
        assert "<script>" not in html and " style=" not in html and "<style" not in html and " onclick=" not in html


def test_signed_out_start_page(server):
    driver = make_driver()
    try:
        driver.get(server.url + "/")
        visible(driver, "#signin-code")
        assert driver.find_element(By.ID, "signin-token").is_displayed()
        visible(driver, "#dev-banner")
        assert "/webhooks/thingiverse/" in text_of(driver, "#dev-webhook-url")
        full_screenshots(driver, "pages-index-signed-out")
        assert console_errors(driver) == []
    finally:
        driver.quit()


def test_profile_gallery_pages_and_api_console(server):
    driver = make_driver()
    try:
        sign_in(driver, server, "alice_prints")
        visible(driver, "#signed-in")
        assert text_of(driver, "#user-name") == "alice_prints"
        wait(driver).until(lambda d: "Portland, OR" in text_of(d, "#user-location"))
        assert "PETG" in text_of(driver, "#user-bio")
        assert driver.find_element(By.ID, "avatar").get_attribute("naturalWidth") != "0"

        # The gallery: alice has 15 things, 8 a page, so two pages joined by Link headers.
        wait(driver).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#gallery .thing")) == 8)
        assert text_of(driver, "#things-page") == "Page 1 of 2"
        first_page = [e.get_attribute("data-thing-id") for e in driver.find_elements(By.CSS_SELECTOR, "#gallery .thing")]
        wait(driver).until(lambda d: all(img.get_attribute("complete") == "true" and int(img.get_attribute("naturalWidth")) > 0
                                         for img in d.find_elements(By.CSS_SELECTOR, "#gallery img")))
        assert driver.find_element(By.ID, "things-prev").get_attribute("disabled") is not None
        full_screenshots(driver, "pages-index-signed-in")

        driver.find_element(By.ID, "things-next").click()
        wait(driver).until(lambda d: text_of(d, "#things-page") == "Page 2 of 2")
        second_page = [e.get_attribute("data-thing-id") for e in driver.find_elements(By.CSS_SELECTOR, "#gallery .thing")]
        assert len(second_page) == 7 and not set(first_page) & set(second_page)
        assert driver.find_element(By.ID, "things-next").get_attribute("disabled") is not None
        screenshot(driver, "pages-index-gallery-page-2-desktop")
        driver.find_element(By.ID, "things-prev").click()
        wait(driver).until(lambda d: text_of(d, "#things-page") == "Page 1 of 2")

        # The API console: GET /users/{username} with "me", then a thing by id.
        console = driver.find_element(By.ID, "console")
        driver.execute_script("arguments[0].scrollIntoView()", console)
        Select(driver.find_element(By.ID, "console-endpoint")).select_by_value("GET /users/{username}")
        assert driver.find_element(By.ID, "console-param-username").get_attribute("value") == "me"
        driver.find_element(By.ID, "console-send").click()
        wait(driver).until(lambda d: text_of(d, "#console-status").startswith("200"))
        assert '"alice_prints"' in text_of(driver, "#console-output")
        assert "requests left" in text_of(driver, "#console-rate")

        Select(driver.find_element(By.ID, "console-endpoint")).select_by_value("GET /things/{id}")
        field = driver.find_element(By.ID, "console-param-id")
        field.send_keys("abc")
        driver.find_element(By.ID, "console-send").click()
        assert field.get_attribute("aria-invalid") == "true"
        assert "whole number" in text_of(driver, "#console-line")
        field.clear()
        field.send_keys(first_page[0])
        query = driver.find_element(By.ID, "console-query")
        assert "GET /api/things/" + first_page[0] in text_of(driver, "#console-line")
        driver.find_element(By.ID, "console-send").click()
        wait(driver).until(lambda d: f'"id": {first_page[0]}' in text_of(d, "#console-output"))
        assert text_of(driver, "#console-status").startswith("200")

        Select(driver.find_element(By.ID, "console-endpoint")).select_by_value("GET /users/{username}/things")
        query.send_keys("per_page=2")
        driver.find_element(By.ID, "console-send").click()
        wait(driver).until(lambda d: "per_page=2" in text_of(d, "#console-line") and d.find_elements(By.CSS_SELECTOR, "#console-headers dt"))
        # The Link header's neighbours are one click away.
        driver.find_element(By.CSS_SELECTOR, "#console-pages button[data-rel=next]").click()
        wait(driver).until(lambda d: "page=2" in text_of(d, "#console-line") and d.find_elements(By.CSS_SELECTOR, "#console-pages button[data-rel=prev]"))
        driver.find_element(By.CSS_SELECTOR, "#console-headers-box summary").click()
        wait(driver).until(lambda d: "link" in text_of(d, "#console-headers"))
        screenshot(driver, "pages-index-console-desktop")
        full_screenshots(driver, "pages-index-console")
        assert console_errors(driver) == []

        driver.find_element(By.ID, "signout").click()
        visible(driver, "#signin-code")
        assert console_errors(driver) == []
    finally:
        driver.quit()


def test_dashboard_fills_from_simulated_webhooks(server):
    driver = make_driver()
    try:
        sign_in(driver, server, "makerbot")
        visible(driver, "#signed-in")
        driver.get(server.url + "/admin")
        visible(driver, "#dashboard")
        visible(driver, "#dev-banner")
        wait(driver).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#orders-chart"))

        # The banner's buttons: one order, a lifecycle and a shuffled scenario.
        for action in ["order_created", "lifecycle", "shuffled"]:
            driver.find_element(By.CSS_SELECTOR, f"#dev-banner button[data-simulate={action}]").click()
            wait(driver).until(lambda d: text_of(d, "#dev-status").startswith("Order "))
            shuffled_id = text_of(driver, "#dev-status").split()[1].rstrip(":")
            wait(driver).until(lambda d: d.find_elements(By.ID, f"order-{shuffled_id}"))
            driver.execute_script("document.getElementById('dev-status').textContent = ''")

        # A refund request left open, sent the way a page would, and a body that cannot be read.
        with urllib.request.urlopen(server.url + "/dev/info", timeout=5) as reply:
            webhook_url = json.loads(reply.read())["webhook_url"]
        for event in ["order_created", "refund_requested"]:
            status, _ = post_json(server.url + "/dev/simulate-webhook", {"event": event, "order_id": "4242"}, origin=server.url)
            assert status == 200
        status, _ = post_json(webhook_url, b'{"event": "order_created", "order": ')
        assert status == 400

        # Live refresh picks them up.
        wait(driver, 15).until(lambda d: d.find_elements(By.ID, "order-4242") and d.find_elements(By.CSS_SELECTOR, "#quarantine li[data-quarantine-id]"))
        # Read in one go: a live refresh may redraw the rows between two reads.
        states = driver.execute_script(
            "return Object.fromEntries([...document.querySelectorAll('#orders-body tr[data-state]')].map(r => [r.id, r.dataset.state]))")
        assert states[f"order-{shuffled_id}"] == "refunded"
        assert states["order-4242"] == "refund_requested"
        assert sorted(states.values()) == ["created", "refund_requested", "refunded", "refunded"]
        assert text_of(driver, f"#order-{shuffled_id} .badge[data-state]") == "Refunded"

        # Totals: revenue counts the two orders not refunded (2 × $14.53); refunds the other two.
        wait(driver).until(lambda d: text_of(d, "#total-orders") == "4")
        assert text_of(driver, "#total-revenue") == "$29.06"
        assert text_of(driver, "#total-refunds") == "$29.06"
        assert text_of(driver, "#total-requested") == "1"

        # The chart: an SVG with bars for 4 orders and 2 refunds.
        chart = driver.find_element(By.ID, "orders-chart")
        assert chart.tag_name == "svg"
        # (The figures arrive with the live refresh a moment after the rows.)
        wait(driver).until(lambda d: text_of(d, "#total-orders") == "4")
        orders = sum(int(bar.get_attribute("data-value")) for bar in driver.find_elements(By.CSS_SELECTOR, "#orders-chart rect.bar-orders"))
        refunds = sum(int(bar.get_attribute("data-value")) for bar in driver.find_elements(By.CSS_SELECTOR, "#orders-chart rect.bar-refunds"))
        assert (orders, refunds) == (4, 2)
        Select(driver.find_element(By.ID, "chart-basis")).select_by_value("received")
        orders = sum(int(bar.get_attribute("data-value")) for bar in driver.find_elements(By.CSS_SELECTOR, "#orders-chart rect.bar-orders"))
        assert orders == 4
        Select(driver.find_element(By.ID, "chart-basis")).select_by_value("order")

        # The quarantined body, with its reason and raw bytes.
        item = driver.find_element(By.CSS_SELECTOR, "#quarantine li[data-quarantine-id]")
        assert '{"event": "order_created", "order": ' in item.find_element(By.CSS_SELECTOR, "pre").text
        assert item.find_element(By.CSS_SELECTOR, ".reason").text

        # A refresh that changes nothing leaves the page as it is: the raw body a person has
        # selected to copy stays selected, and the chart, rows and forum card are the same elements.
        kept = ["#quarantine pre", "#orders-chart", "#orders-body tr[data-state]", "#forum-events li"]
        selected = driver.execute_script("""
            for (const selector of arguments[0]) document.querySelector(selector).keptByTest = true;
            const range = document.createRange();
            range.selectNodeContents(document.querySelector('#quarantine pre'));
            getSelection().removeAllRanges();
            getSelection().addRange(range);
            return getSelection().toString();""", kept)
        assert '"order_created"' in selected
        refreshed = text_of(driver, "#updated")
        wait(driver, 15).until(lambda d: text_of(d, "#updated") != refreshed)
        assert driver.execute_script("return arguments[0].filter(s => document.querySelector(s).keptByTest !== true)", kept) == []
        assert driver.execute_script("return getSelection().toString()") == selected
        driver.execute_script("getSelection().removeAllRanges()")

        # An order's timeline: the shuffled order's three events.
        driver.find_element(By.CSS_SELECTOR, f"#order-{shuffled_id} .order-link").click()
        wait(driver).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#timeline li")) == 3)
        events = sorted(e.text for e in driver.find_elements(By.CSS_SELECTOR, "#timeline .event"))
        assert events == ["order_created", "order_refunded", "refund_requested"]
        assert "selected" in driver.find_element(By.ID, f"order-{shuffled_id}").get_attribute("class")
        first_raw = driver.find_element(By.CSS_SELECTOR, "#timeline li details summary")
        first_raw.click()
        wait(driver).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#timeline li details pre"))
        assert shuffled_id in driver.find_element(By.CSS_SELECTOR, "#timeline li details pre").text
        full_screenshots(driver, "pages-admin")

        # Filters and search, answered by the server.
        Select(driver.find_element(By.ID, "filter-state")).select_by_value("refunded")
        rows = "return [...document.querySelectorAll('#orders-body tr[data-state]')].map(r => r.id + ' ' + r.dataset.state)"
        wait(driver).until(lambda d: [row.split()[1] for row in d.execute_script(rows)] == ["refunded"] * 2)
        Select(driver.find_element(By.ID, "filter-state")).select_by_value("")
        wait(driver).until(lambda d: len(d.execute_script(rows)) == 4)
        driver.find_element(By.ID, "filter-search").send_keys("4242")
        wait(driver).until(lambda d: [row.split()[0] for row in d.execute_script(rows)] == ["order-4242"])
        screenshot(driver, "pages-admin-search-desktop")

        # The export link gives JSON lines, one per stored event (1 + 3 + 3 + 2).
        assert driver.find_element(By.ID, "export").get_attribute("href").endswith("/admin/api/events/export")
        lines = driver.execute_script(
            "return fetch('/admin/api/events/export').then(r => r.text()).then(t => t.trim().split('\\n').map(l => JSON.parse(l).event))")
        assert len(lines) == 9 and lines.count("order_refunded") == 2
        assert console_errors(driver) == []
    finally:
        driver.quit()


def test_dashboard_asks_a_visitor_to_sign_in_and_returns_there(server):
    driver = make_driver()
    try:
        driver.get(server.url + "/admin")
        visible(driver, "#gate")
        assert "Sign in" in text_of(driver, "#gate-title")
        full_screenshots(driver, "pages-admin-signed-out")
        sign_in(driver, server, "thingiverse", start="/admin")
        visible(driver, "#dashboard")
        assert driver.current_url.rstrip("/").endswith("/admin")
        assert console_errors(driver) == []
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def strict_server():
    """Only alice is an admin, and the proxy allows three requests per user."""
    running = Server({"THINGBRIDGE_ADMIN_USERS": "alice_prints", "THINGBRIDGE_RATE_LIMIT": "3/300"})
    yield running
    running.stop()


def test_dashboard_tells_a_non_admin_so(strict_server):
    driver = make_driver()
    try:
        sign_in(driver, strict_server, "bob_builds")
        visible(driver, "#signed-in")
        driver.get(strict_server.url + "/admin")
        visible(driver, "#gate")
        wait(driver).until(lambda d: d.find_element(By.ID, "gate").get_attribute("data-status") == "403")
        assert "not an admin" in text_of(driver, "#gate-title")
        full_screenshots(driver, "pages-admin-not-admin")
        assert network_errors_only(console_errors(driver), 403) == []
    finally:
        driver.quit()


def test_rate_limit_and_thingiverse_down_are_explained(strict_server):
    driver = make_driver()
    try:
        sign_in(driver, strict_server, "makerbot")
        # Profile and the first page of things spend two of the three requests; page 2 the third.
        wait(driver).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#gallery .thing")) == 8)
        driver.find_element(By.ID, "things-next").click()
        wait(driver).until(lambda d: text_of(d, "#things-page") == "Page 2 of 2")
        driver.find_element(By.ID, "things-prev").click()
        notice = visible(driver, "#things-error .notice")
        assert notice.get_attribute("data-kind") == "rate-limited"
        assert "Try again in" in notice.text
        full_screenshots(driver, "pages-index-rate-limited")
        assert network_errors_only(console_errors(driver), 429) == []
    finally:
        driver.quit()

    driver = make_driver()
    try:
        sign_in(driver, strict_server, "thingiverse")
        wait(driver).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#gallery .thing")) == 8)
        post_json(strict_server.url + "/sim/_control/faults", {"serverError": True})
        try:
            driver.refresh()
            # The profile and the things are asked for at once; the first failure pauses the
            # user's budget, so the other one may be told 429 instead.
            notices = [visible(driver, "#profile-error .notice"), visible(driver, "#things-error .notice")]
            kinds = sorted(notice.get_attribute("data-kind") for notice in notices)
            assert "upstream" in kinds and set(kinds) <= {"upstream", "rate-limited"}
            assert any("Thingiverse is not answering" in notice.text for notice in notices)
            full_screenshots(driver, "pages-index-thingiverse-down")
        finally:
            post_json(strict_server.url + "/sim/_control/faults", {})
        # After a failing upstream the proxy pauses the user's budget, so a second request may get 429.
        assert network_errors_only(network_errors_only(console_errors(driver), 502), 429) == []
    finally:
        driver.quit()
