"""Two sign-in providers on the start page, in a real browser against ThingBridge in development
mode (the built-in Thingiverse and Flattr simulators): signing in with Flattr, linking
Thingiverse to the same session, the API console on Flattr, unlinking. Screenshots at desktop
and phone width of each state."""
import json

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.select import Select

from conftest import Server, console_errors, make_driver, screenshot
from test_pages import full_screenshots, network_errors_only, text_of, visible, wait
from test_signin import allow_as

ALICES_FLATTR_THINGS = {"441203", "447981", "452310"}


def account_row(driver, provider):
    return driver.find_element(By.CSS_SELECTOR, f"#accounts li[data-provider={provider}]")


def linked(driver, provider):
    """Read in one script: the rows are rebuilt after each change, so a held element goes stale."""
    return driver.execute_script(
        "const row = document.querySelector(`#accounts li[data-provider=${arguments[0]}]`);"
        "return row ? row.dataset.linked === 'true' : null", provider) is True


def session(driver):
    return json.loads(driver.execute_script(
        "return fetch('/auth/session', {credentials: 'same-origin'}).then(r => r.text())"))


def test_sign_in_with_flattr_link_thingiverse_use_the_console_and_unlink(server):
    driver = make_driver()
    try:
        # Signed out: both sign-ins, Thingiverse first, Flattr as the equal second choice.
        driver.get(server.url + "/")
        flattr_button = visible(driver, "#signin-flattr")
        thingiverse_button = visible(driver, "#signin-code")
        assert flattr_button.text == "Sign in with Flattr"
        assert flattr_button.size["width"] == thingiverse_button.size["width"]
        assert flattr_button.location["y"] > thingiverse_button.location["y"]
        assert "Flattr" in text_of(driver, "#hero-providers")
        full_screenshots(driver, "providers-signed-out")

        # Sign in with Flattr through the simulator's authorization page.
        flattr_button.click()
        visible(driver, "button[value=allow]")
        assert "Flattr" in driver.title
        screenshot(driver, "providers-flattr-authorize")
        allow_as(driver, "alice_flattrs")
        visible(driver, "#signed-in")
        assert driver.current_url.rstrip("/") == server.url
        assert text_of(driver, "#user-name") == "alice_flattrs"
        assert text_of(driver, "#user-full-name") == "Alice Andersson"
        assert "Flattr" in text_of(driver, "#user-provider")
        wait(driver).until(lambda d: d.find_element(By.ID, "avatar").get_attribute("naturalWidth") not in (None, "0"))

        # Flattr only: her Flattr things, no Thingiverse gallery, an offer to link Thingiverse.
        wait(driver).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#flattr-things .flattr-thing"))
        shown = {e.get_attribute("data-flattr-id") for e in driver.find_elements(By.CSS_SELECTOR, "#flattr-things .flattr-thing")}
        assert shown <= ALICES_FLATTR_THINGS and "441203" in shown
        assert not driver.find_element(By.ID, "things-section").is_displayed()
        assert linked(driver, "flattr") and "@alice_flattrs" in account_row(driver, "flattr").text
        assert not linked(driver, "thingiverse")
        link_thingiverse = driver.find_element(By.ID, "link-thingiverse")
        assert link_thingiverse.text == "Link Thingiverse"
        assert link_thingiverse.get_attribute("href").endswith("/auth/login?return_to=%2F")
        # The console offers Flattr only, and says why Thingiverse is not there.
        assert driver.find_element(By.ID, "console-provider-flattr").is_selected()
        assert not driver.find_element(By.ID, "console-provider-thingiverse").is_enabled()
        assert "Thingiverse needs a linked account" in text_of(driver, "#console-provider-hint")
        assert text_of(driver, "#console-line") == "GET /api/flattr/user"
        full_screenshots(driver, "providers-flattr-only")
        assert console_errors(driver) == []

        # Link Thingiverse: the same session now holds both accounts.
        link_thingiverse.click()
        allow_as(driver, "alice_prints")
        visible(driver, "#signed-in")
        wait(driver).until(lambda d: linked(d, "thingiverse") and linked(d, "flattr"))
        assert "@alice_prints" in account_row(driver, "thingiverse").text
        assert "@alice_flattrs" in account_row(driver, "flattr").text
        assert set(session(driver)["user"]["accounts"]) == {"thingiverse", "flattr"}
        # The profile is the richer Thingiverse one; both galleries are there.
        assert text_of(driver, "#user-name") == "alice_prints"
        wait(driver).until(lambda d: "Portland, OR" in text_of(d, "#user-location"))
        wait(driver).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#gallery .thing")) == 8)
        wait(driver).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#flattr-things .flattr-thing"))
        wait(driver).until(lambda d: all(img.get_attribute("complete") == "true" and int(img.get_attribute("naturalWidth")) > 0
                                         for img in d.find_elements(By.CSS_SELECTOR, "#gallery img, #flattr-things img")))
        assert driver.find_element(By.ID, "console-provider-thingiverse").is_selected()
        assert driver.find_element(By.ID, "console-provider-flattr").is_enabled()
        assert not driver.find_element(By.ID, "console-provider-hint").is_displayed()
        full_screenshots(driver, "providers-both-linked")

        # The console on Flattr, chosen with the keyboard: GET /things/{ids}.
        console = driver.find_element(By.ID, "console")
        driver.execute_script("arguments[0].scrollIntoView()", console)
        driver.find_element(By.ID, "console-provider-thingiverse").send_keys(Keys.ARROW_RIGHT)
        wait(driver).until(lambda d: d.find_element(By.ID, "console-provider-flattr").is_selected())
        assert text_of(driver, "#console-via") == "/api/flattr/"
        options = [o.get_attribute("value") for o in driver.find_elements(By.CSS_SELECTOR, "#console-endpoint option")]
        assert "GET /things/{ids}" in options and "GET /users/{username}/likes" not in options
        Select(driver.find_element(By.ID, "console-endpoint")).select_by_value("GET /things/{ids}")
        ids = driver.find_element(By.ID, "console-param-ids")
        ids.clear()
        ids.send_keys("42x")
        driver.find_element(By.ID, "console-send").click()
        assert ids.get_attribute("aria-invalid") == "true"
        assert "separated by commas" in text_of(driver, "#console-line")
        ids.clear()
        ids.send_keys("423405")
        assert text_of(driver, "#console-line") == "GET /api/flattr/things/423405"
        driver.find_element(By.ID, "console-send").click()
        wait(driver).until(lambda d: text_of(d, "#console-status").startswith("200"))
        assert "API v2 beta out" in text_of(driver, "#console-output")
        assert "requests left" in text_of(driver, "#console-rate")
        # A list of ids answers a list.
        ids.clear()
        ids.send_keys("423405, 450287")
        assert text_of(driver, "#console-line") == "GET /api/flattr/things/423405,450287"
        driver.find_element(By.ID, "console-send").click()
        wait(driver).until(lambda d: "Ruby gem wrapping" in text_of(d, "#console-output"))
        assert text_of(driver, "#console-status").startswith("200")
        # Flattr's lookup answers 302 to the thing (rewritten to /api/flattr/...); the browser follows it.
        Select(driver.find_element(By.ID, "console-endpoint")).select_by_value("GET /things/lookup")
        driver.find_element(By.ID, "console-query").send_keys("url=http://blog.flattr.net/2011/10/api-v2-beta-out-whats-changed/")
        driver.find_element(By.ID, "console-send").click()
        wait(driver).until(lambda d: d.find_element(By.ID, "console-redirect").is_displayed())
        assert text_of(driver, "#console-redirect") == "Redirected to /api/flattr/things/423405"
        assert text_of(driver, "#console-status").startswith("200")
        Select(driver.find_element(By.ID, "console-endpoint")).select_by_value("GET /things/{ids}")
        driver.find_element(By.ID, "console-query").clear()
        driver.find_element(By.ID, "console-send").click()
        wait(driver).until(lambda d: "Ruby gem wrapping" in text_of(d, "#console-output") and not d.find_element(By.ID, "console-redirect").is_displayed())
        screenshot(driver, "providers-console-flattr-desktop")
        full_screenshots(driver, "providers-console-flattr")
        assert console_errors(driver) == []

        # Unlink Flattr: its account is gone, Thingiverse stays, the page keeps working.
        driver.execute_script("window.scrollTo(0, 0)")
        driver.find_element(By.ID, "unlink-flattr").click()
        wait(driver).until(lambda d: not linked(d, "flattr"))
        assert linked(driver, "thingiverse")
        assert driver.find_element(By.ID, "link-flattr").text == "Link Flattr"
        assert driver.switch_to.active_element.get_attribute("id") == "link-flattr"
        assert "alice_flattrs" not in text_of(driver, "#accounts")
        assert text_of(driver, "#user-name") == "alice_prints"
        assert not driver.find_element(By.ID, "flattr-section").is_displayed()
        assert len(driver.find_elements(By.CSS_SELECTOR, "#gallery .thing")) == 8
        assert driver.find_element(By.ID, "console-provider-thingiverse").is_selected()
        assert not driver.find_element(By.ID, "console-provider-flattr").is_enabled()
        assert set(session(driver)["user"]["accounts"]) == {"thingiverse"}
        full_screenshots(driver, "providers-flattr-unlinked")
        assert console_errors(driver) == []
    finally:
        driver.quit()


def test_unlinking_thingiverse_shows_the_flattr_account_and_the_last_unlink_signs_out(server):
    driver = make_driver()
    try:
        driver.get(server.url + "/")
        visible(driver, "#signin-flattr").click()
        allow_as(driver, "bob_supports")
        visible(driver, "#link-thingiverse").click()
        allow_as(driver, "bob_builds")
        wait(driver).until(lambda d: linked(d, "thingiverse") and linked(d, "flattr"))
        assert text_of(driver, "#user-name") == "bob_builds"
        wait(driver).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#gallery .thing")) > 0)

        # Without Thingiverse the card shows the Flattr account and the console switches to Flattr.
        driver.find_element(By.ID, "unlink-thingiverse").click()
        wait(driver).until(lambda d: not linked(d, "thingiverse"))
        assert text_of(driver, "#user-name") == "bob_supports"
        assert text_of(driver, "#user-full-name") == "Bob Berg"
        assert text_of(driver, "#chip-name") == "bob_supports"
        assert not driver.find_element(By.ID, "user-location").is_displayed()
        wait(driver).until(lambda d: text_of(d, "#user-link") == "Profile on Flattr")
        assert not driver.find_element(By.ID, "things-section").is_displayed()
        assert driver.find_element(By.ID, "flattr-section").is_displayed()
        assert driver.find_element(By.ID, "console-provider-flattr").is_selected()
        assert text_of(driver, "#console-via") == "/api/flattr/"

        # The only account left: unlinking it signs out.
        assert "signs you out" in text_of(driver, "#accounts-hint")
        driver.find_element(By.ID, "unlink-flattr").click()
        visible(driver, "#signin-flattr")
        assert not driver.find_element(By.ID, "signed-in").is_displayed()
        assert session(driver)["signed_in"] is False
        assert console_errors(driver) == []
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def admin_server():
    """Only alice_prints (a Thingiverse account) is an admin."""
    running = Server({"THINGBRIDGE_ADMIN_USERS": "alice_prints"})
    yield running
    running.stop()


def test_the_dashboard_asks_a_flattr_only_person_to_link_thingiverse(admin_server):
    driver = make_driver()
    try:
        driver.get(admin_server.url + "/")
        visible(driver, "#signin-flattr").click()
        allow_as(driver, "alice_flattrs")
        visible(driver, "#signed-in")
        driver.get(admin_server.url + "/admin")
        wait(driver).until(lambda d: d.find_element(By.ID, "gate").get_attribute("data-status") == "403")
        assert "Thingiverse account" in text_of(driver, "#gate-message")
        full_screenshots(driver, "providers-admin-flattr-only")
        driver.find_element(By.ID, "gate-link").click()
        allow_as(driver, "alice_prints")
        visible(driver, "#dashboard")
        assert driver.current_url.rstrip("/").endswith("/admin")
        assert network_errors_only(console_errors(driver), 403) == []
    finally:
        driver.quit()
