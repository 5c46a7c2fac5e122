"""A page on another origin calls the API through ThingBridge with the browser's cookies:
allowed when its origin is on THINGBRIDGE_CORS_ORIGINS, blocked by the browser otherwise."""
import functools
import http.server
import tempfile
import threading
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.ui import WebDriverWait

from conftest import Server, free_port, screenshot

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Partner app</title></head>
<body><h1>Partner app</h1><p id="result">waiting</p>
<script>
const api = new URLSearchParams(location.search).get("api");
fetch(api + "/api/users/me", { credentials: "include" })
  .then(async (response) => {
    const body = await response.json();
    document.getElementById("result").textContent = response.ok ? "ok: " + body.name : "status " + response.status;
  })
  .catch((error) => { document.getElementById("result").textContent = "blocked: " + error.name; });
</script></body></html>
"""


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def partner_sites():
    folder = tempfile.mkdtemp(prefix="partner-")
    Path(folder, "app.html").write_text(PAGE)
    servers = []
    for _ in range(2):
        server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), functools.partial(Quiet, directory=folder))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    yield [f"http://127.0.0.1:{server.server_address[1]}" for server in servers]
    for server in servers:
        server.shutdown()


def test_an_allowed_origin_reads_the_api_and_another_is_blocked(browser, partner_sites):
    allowed, other = partner_sites
    bridge = Server({"THINGBRIDGE_CORS_ORIGINS": allowed})
    try:
        browser.get(bridge.url + "/auth/login")
        WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.ID, "user")))
        Select(browser.find_element(By.ID, "user")).select_by_value("alice_prints")
        browser.find_element(By.CSS_SELECTOR, "button[value=allow]").click()
        WebDriverWait(browser, 10).until(EC.visibility_of_element_located((By.ID, "signed-in")))

        browser.get(f"{allowed}/app.html?api={bridge.url}")
        WebDriverWait(browser, 10).until(lambda driver: driver.find_element(By.ID, "result").text != "waiting")
        assert browser.find_element(By.ID, "result").text == "ok: alice_prints"
        screenshot(browser, "partner-allowed")

        browser.get(f"{other}/app.html?api={bridge.url}")
        WebDriverWait(browser, 10).until(lambda driver: driver.find_element(By.ID, "result").text != "waiting")
        assert browser.find_element(By.ID, "result").text == "blocked: TypeError"
    finally:
        bridge.stop()
