"""UserEcho, the app's feedback forum, in a real browser: the start page's "Feedback forum" link
signs the person into the forum as themselves (development mode: the built-in UserEcho
simulator under /sim/userecho), the API console posts and edits a topic as them through
/api/userecho/, and the single sign-on token is checked independently: a second ThingBridge
whose USERECHO_URL is a tiny stub server, the token decrypted here with `cryptography`."""
import base64
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote, unquote, urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select

from conftest import Server, console_errors, make_driver, screenshot
from test_pages import DESKTOP, PHONE, full_screenshots, sign_in, text_of, visible, wait
from test_signin import allow_as

ALICE_DISPLAY_NAME = "Alice Printwell"  # alice_prints (Thingiverse id 244), first and last name
SSO_KEY = "tb-browser-test-sso-key-32-chars"
assert len(SSO_KEY) == 32


def forum_screenshots(driver, name):
    """The forum page at desktop and at phone width (the simulator's page, not ours)."""
    for width, height, suffix in [(DESKTOP, 900, "desktop"), (PHONE, 812, "phone")]:
        driver.set_window_size(width, height)
        time.sleep(0.3)
        screenshot(driver, f"{name}-{suffix}")
    driver.set_window_size(DESKTOP, 900)


def use_userecho_console(driver):
    console = driver.find_element(By.ID, "console")
    driver.execute_script("arguments[0].scrollIntoView()", console)
    driver.find_element(By.CSS_SELECTOR, "label[for=console-provider-userecho]").click()
    wait(driver).until(lambda d: d.find_element(By.ID, "console-provider-userecho").is_selected())
    assert text_of(driver, "#console-via") == "/api/userecho/"


def choose_endpoint(driver, line):
    Select(driver.find_element(By.ID, "console-endpoint")).select_by_value(line)


def fill(driver, element_id, text):
    field = driver.find_element(By.ID, element_id)
    field.clear()
    field.send_keys(text)
    return field


def send_and_wait(driver):
    """Sends and waits for this request's answer (the previous one's pill is hidden first)."""
    driver.execute_script("document.getElementById('console-status').textContent = ''")
    driver.find_element(By.ID, "console-send").click()
    wait(driver).until(lambda d: text_of(d, "#console-status") != "")
    return text_of(driver, "#console-status")


def output_json(driver):
    return json.loads(driver.find_element(By.ID, "console-output").get_attribute("textContent"))


def test_the_feedback_forum_link_signs_into_the_forum_as_yourself(server):
    driver = make_driver()
    try:
        # Signed out: the forum is mentioned, but there is no link yet.
        driver.get(server.url + "/")
        visible(driver, "#signin-code")
        assert driver.find_element(By.ID, "hero-forum").is_displayed()
        assert "UserEcho" in text_of(driver, "#hero-apis")
        assert not driver.find_element(By.ID, "nav-forum").is_displayed()

        sign_in(driver, server, "alice_prints")
        visible(driver, "#signed-in")
        link = visible(driver, "#forum-link")
        assert link.text == "Feedback forum"
        assert link.tag_name == "a" and link.get_attribute("href") == server.url + "/sso/userecho"
        nav = visible(driver, "#nav-forum")
        assert nav.text.startswith("Feedback forum")
        assert nav.get_attribute("href") == server.url + "/sso/userecho"
        # The card's button sits with Sign out; at phone width both fill the row.
        assert abs(link.location["y"] - driver.find_element(By.ID, "signout").location["y"]) < 8
        full_screenshots(driver, "userecho-start-page")
        assert console_errors(driver) == []

        # A normal navigation: ThingBridge sends her on with an sso_token, the forum signs her in.
        visible(driver, "#forum-link").click()
        signed_in_as = visible(driver, "#signed-in-as")
        assert signed_in_as.text == ALICE_DISPLAY_NAME
        assert driver.current_url.startswith(server.url + "/sim/userecho/")
        assert "sso_token" not in driver.current_url
        assert driver.find_elements(By.CSS_SELECTOR, "#forums li")
        forum_screenshots(driver, "userecho-forum")

        # The dashboard's header has the link too.
        driver.get(server.url + "/admin")
        assert visible(driver, "#nav-forum").get_attribute("href") == server.url + "/sso/userecho"
    finally:
        driver.quit()


def test_a_signed_out_person_signs_in_first_and_lands_in_the_forum(server):
    driver = make_driver()
    try:
        driver.get(server.url + "/sso/userecho?return_to=/forums/2")
        allow_as(driver, "bob_builds")
        assert visible(driver, "#signed-in-as").text == "Bob Builder"
        assert urlsplit(driver.current_url).path.startswith("/sim/userecho/forums/2")
    finally:
        driver.quit()


def test_post_a_topic_through_the_console_and_find_it_in_the_forum(server):
    header = f"Print queue notifications {uuid.uuid4().hex[:8]}"
    driver = make_driver()
    try:
        sign_in(driver, server, "alice_prints")
        visible(driver, "#signed-in")
        use_userecho_console(driver)
        # No linked UserEcho account needed (only Flattr asks for one); the first endpoint lists the forums.
        assert "UserEcho" not in text_of(driver, "#console-provider-hint")
        assert "Flattr needs a linked account" in text_of(driver, "#console-provider-hint")
        assert text_of(driver, "#console-line") == "GET /api/userecho/forums"
        assert send_and_wait(driver).startswith("200")
        assert output_json(driver)["status"] == "success"

        # POST /forums/1/topics with a JSON body: the body editor starts with an example.
        choose_endpoint(driver, "POST /forums/{id}/topics")
        body = visible(driver, "#console-body")
        assert json.loads(body.get_attribute("value"))["header"]
        assert "sso_token" in text_of(driver, "#console-body-hint")
        fill(driver, "console-param-id", "1")
        fill(driver, "console-body", json.dumps({"header": header, "description": "Tell me when my print job starts."}))
        assert text_of(driver, "#console-line") == "POST /api/userecho/forums/1/topics"
        status = send_and_wait(driver)
        assert status.startswith("200") and "success" in status
        answer = output_json(driver)
        assert answer["status"] == "success"
        topic = answer["data"]
        assert topic["header"] == header and topic["forum_id"] == 1
        assert topic["author"]["name"] == ALICE_DISPLAY_NAME
        screenshot(driver, "userecho-console-post-desktop")
        full_screenshots(driver, "userecho-console-post")

        # A body that is not JSON is caught before sending.
        fill(driver, "console-body", "{header: oops")
        driver.find_element(By.ID, "console-send").click()
        assert driver.find_element(By.ID, "console-body").get_attribute("aria-invalid") == "true"
        assert text_of(driver, "#console-line") == "The body is not valid JSON."

        # PUT /forums/1/topics changes her topic.
        choose_endpoint(driver, "PUT /forums/{id}/topics")
        assert visible(driver, "#console-body").get_attribute("aria-invalid") is None
        fill(driver, "console-body", json.dumps({"id": topic["id"], "header": header + " (edited)"}))
        assert text_of(driver, "#console-line") == "PUT /api/userecho/forums/1/topics"
        assert send_and_wait(driver).startswith("200")
        assert output_json(driver)["data"]["header"] == header + " (edited)"
        # The POST body she typed is still there when she goes back to it.
        choose_endpoint(driver, "POST /forums/{id}/topics")
        assert driver.find_element(By.ID, "console-body").get_attribute("value") == "{header: oops"

        # {self} is filled in with her own UserEcho id (from users/current).
        own = json.loads(driver.execute_script(
            "return fetch('/api/userecho/users/current').then(r => r.text())"))["data"]["id"]
        choose_endpoint(driver, "GET /users/{self}/topics")
        wait(driver).until(lambda d: d.find_element(By.ID, "console-param-self").get_attribute("value") == str(own))
        assert text_of(driver, "#console-line") == f"GET /api/userecho/users/{own}/topics"
        assert "from users/current" in text_of(driver, "#console-param-self-hint")
        assert send_and_wait(driver).startswith("200")
        screenshot(driver, "userecho-console-self-desktop")
        assert header + " (edited)" in [t["header"] for t in output_json(driver)["data"]]
        assert console_errors(driver) == []

        # The forum's page for forum 1 lists it, by her.
        driver.get(server.url + "/sso/userecho?return_to=/forums/1")
        assert visible(driver, "#signed-in-as").text == ALICE_DISPLAY_NAME
        wait(driver).until(lambda d: header + " (edited)" in text_of(d, "#topics"))
        entry = [li for li in driver.find_elements(By.CSS_SELECTOR, "#topics li") if header in li.text][0]
        assert ALICE_DISPLAY_NAME in entry.text
        forum_screenshots(driver, "userecho-forum-1")
    finally:
        driver.quit()


class ForumStub:
    """A tiny HTTP server standing in for USERECHO_URL: records each request's path and query
    and answers a small HTML page."""

    def __init__(self):
        self.requests = []
        recorded = self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                recorded.append(self.path)
                page = (b"<!doctype html><html lang=en><link rel=icon href='data:,'><title>Forum stub</title>"
                        b"<h1 id=stub>Forum stub</h1></html>")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *arguments):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def pages(self):
        """The requests for pages (not the browser's own favicon look-up)."""
        return [path for path in self.requests if path != "/favicon.ico"]

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def forum_stub():
    stub = ForumStub()
    yield stub
    stub.stop()


@pytest.fixture(scope="module")
def sso_server(forum_stub):
    running = Server({"USERECHO_URL": forum_stub.url, "USERECHO_API_KEY": "some-key", "USERECHO_SSO_KEY": SSO_KEY})
    yield running
    running.stop()


def decrypt_sso_token(encoded):
    """UserEcho's scheme, undone independently: URL-decode, base64, a 16-byte IV in front of the
    AES-256-CBC ciphertext under the key's UTF-8 bytes, PKCS#7, JSON."""
    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    raw = base64.b64decode(unquote(encoded), validate=True)
    iv, ciphertext = raw[:16], raw[16:]
    assert len(iv) == 16 and ciphertext and len(ciphertext) % 16 == 0
    decryptor = Cipher(algorithms.AES(SSO_KEY.encode("utf-8")), modes.CBC(iv)).decryptor()
    padded = decryptor.update(ciphertext) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return json.loads(unpadder.update(padded) + unpadder.finalize())


def token_from(path):
    query = urlsplit(path).query
    values = [pair.split("=", 1)[1] for pair in query.split("&") if pair.startswith("sso_token=")]
    assert len(values) == 1, path
    return values[0]


def test_the_sso_token_is_userecho_s_scheme_and_stays_on_the_forum_s_host(sso_server, forum_stub):
    driver = make_driver()
    try:
        sign_in(driver, sso_server, "alice_prints")
        visible(driver, "#signed-in")
        assert visible(driver, "#forum-link").get_attribute("href") == sso_server.url + "/sso/userecho"

        before = int(time.time())
        forum_stub.requests.clear()
        driver.get(sso_server.url + "/sso/userecho?return_to=/forums/1")
        visible(driver, "#stub")
        after = int(time.time())
        assert len(forum_stub.pages()) == 1, forum_stub.requests
        path = forum_stub.pages()[0]
        assert path.startswith("/forums/1?sso_token="), path
        assert driver.current_url.startswith(forum_stub.url + "/forums/1?sso_token=")

        profile = decrypt_sso_token(token_from(path))
        assert profile["guid"] == "thingiverse:244"
        assert profile["display_name"] == ALICE_DISPLAY_NAME
        assert isinstance(profile["expires"], int)
        assert before < profile["expires"] <= after + 3600
        assert profile["expires"] >= before + 3600 - 60  # about an hour, not seconds
        assert "some-key" not in path

        # A return_to that would leave the forum's host lands on its front page instead.
        for evil in ["//evil.example.com", "https://evil.example.com/x", "/\\evil.example.com"]:
            forum_stub.requests.clear()
            driver.get(sso_server.url + "/sso/userecho?return_to=" + quote(evil, safe=""))
            visible(driver, "#stub")
            landed = urlsplit(driver.current_url)
            assert (landed.scheme, landed.netloc, landed.path) == ("http", urlsplit(forum_stub.url).netloc, "/"), evil
            assert len(forum_stub.pages()) == 1 and forum_stub.pages()[0].startswith("/?sso_token="), forum_stub.requests
            assert decrypt_sso_token(token_from(forum_stub.pages()[0]))["guid"] == "thingiverse:244"
        screenshot(driver, "userecho-sso-stub-desktop")
    finally:
        driver.quit()
