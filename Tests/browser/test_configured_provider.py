"""A provider added by configuration alone (`THINGBRIDGE_PROVIDERS=demo`, nothing else: in
development mode the built-in OAuth2 provider simulator stands in for it), in a real browser:
its sign-in button, signing in through the simulator's page, linking Thingiverse, the proxy,
its endpoints in the API console and unlinking. Screenshots at desktop and phone width."""
import json

from selenium.webdriver.common.by import By

from conftest import Server, console_errors, make_driver, screenshot
from test_console_walk import choose, send, type_into
from test_pages import full_screenshots, text_of, visible, wait
from test_signin import allow_as


def fetch(driver, path):
    return json.loads(driver.execute_script(
        "return fetch(arguments[0], {credentials: 'same-origin'}).then(r => r.text())", path))


def linked(driver, provider):
    return driver.execute_script(
        "const row = document.querySelector(`#accounts li[data-provider=${arguments[0]}]`);"
        "return row ? row.dataset.linked === 'true' : null", provider) is True


def test_a_configured_provider_signs_in_links_proxies_and_unlinks():
    server = Server({"THINGBRIDGE_PROVIDERS": "demo", "DEMO_DISPLAY_NAME": "Demo Cloud"})
    driver = make_driver()
    try:
        driver.get(server.url + "/")
        button = visible(driver, "#signin-demo")
        assert button.text == "Sign in with Demo Cloud"
        assert button.location["y"] > visible(driver, "#signin-code").location["y"]
        full_screenshots(driver, "configured-signed-out")

        button.click()
        visible(driver, "button[value=allow]")
        screenshot(driver, "configured-authorize")
        allow_as(driver, "alice_oauth")
        visible(driver, "#signed-in")
        assert text_of(driver, "#user-name") == "alice_oauth"
        wait(driver).until(lambda d: linked(d, "demo"))
        assert not linked(driver, "thingiverse")

        # The proxy with the session's token; the browser never holds it.
        me = fetch(driver, "/api/demo/me")
        assert me["login"] == "alice_oauth"
        assert "token" not in json.dumps(fetch(driver, "/auth/session")).lower().replace("sign_in", "")

        # Link Thingiverse to the same session.
        driver.find_element(By.ID, "link-thingiverse").click()
        allow_as(driver, "alice_prints")
        visible(driver, "#signed-in")
        wait(driver).until(lambda d: linked(d, "thingiverse") and linked(d, "demo"))
        full_screenshots(driver, "configured-linked")

        # The API console offers the provider with the endpoints of its allow-list (and only those).
        radio = driver.find_element(By.ID, "console-provider-demo")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", radio)
        driver.find_element(By.CSS_SELECTOR, "label[for=console-provider-demo]").click()
        wait(driver).until(lambda d: text_of(d, "#console-via") == "/api/demo/")
        options = [o.get_attribute("value") for o in driver.find_elements(By.CSS_SELECTOR, "#console-endpoint option")]
        assert options == ["GET /me", "GET /items", "GET /items/{id}", "POST /items", "GET /users/{name}"]
        choose(driver, "GET /users/{name}")
        type_into(driver, "console-param-name", "alice_oauth")
        status, body = send(driver, "GET /api/demo/users/alice_oauth")
        assert status.startswith("200"), status
        assert body["login"] == "alice_oauth"
        screenshot(driver, "configured-console")

        driver.find_element(By.ID, "unlink-demo").click()
        wait(driver).until(lambda d: not linked(d, "demo"))
        assert linked(driver, "thingiverse")
        assert fetch(driver, "/api/demo/me")["error"] == "not_signed_in"
        assert not [e for e in console_errors(driver) if "/api/demo/me" not in e["message"]]
    finally:
        driver.quit()
        server.stop()
