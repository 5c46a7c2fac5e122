"""The dashboard's "Forum activity" card: a topic posted through the start page's API console
(UserEcho provider) reaches the event log as the built-in forum's `topic.created` hook, and the
dashboard shows it with its header, its author and when it arrived; a comment posted while the
dashboard is open arrives with the live refresh. Forum hooks never show up as orders. Its own
ThingBridge, so the other tests' event counts stay as they are."""
import json
import time
import urllib.request
import uuid

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By

from conftest import Server, console_errors, make_driver, screenshot
from test_pages import DESKTOP, PHONE, full_screenshots, sign_in, text_of, visible, wait
from test_userecho import ALICE_DISPLAY_NAME, choose_endpoint, fill, output_json, send_and_wait, use_userecho_console

HOOK_SECONDS = 20  # the forum sends its hooks in the background; the dashboard refreshes every 5 s


@pytest.fixture(scope="module")
def forum_server():
    running = Server()
    yield running
    running.stop()


# The card as data, read in one script: the live refresh redraws the list when an event arrives,
# so elements found one call and read the next may already be gone (StaleElementReference).
# One script runs between two of the page's tasks and sees one whole drawing.
READ_ENTRIES = """
return Array.from(document.querySelectorAll('#forum-events li.forum-event'), (li) => {
  const one = (selector) => li.querySelector(selector);
  const link = one('.forum-text a');
  return {
    hook: li.dataset.hook,
    text: li.innerText,
    kind: one('.forum-kind')?.innerText ?? null,
    words: one('.forum-text')?.innerText ?? null,
    meta: one('.forum-meta')?.innerText ?? null,
    time: one('time')?.getAttribute('datetime') ?? null,
    link: link ? link.href : null,
    markup: !!one('.forum-text b, .forum-text img'),
  };
});
"""


def forum_entries(driver):
    return driver.execute_script(READ_ENTRIES)


def entry_containing(driver, words):
    return next((entry for entry in forum_entries(driver) if words in entry["text"]), None)


def newest_entry(driver, hook):
    """The newest entry when it is a `hook`, else None."""
    entries = forum_entries(driver)
    return entries[0] if entries and entries[0]["hook"] == hook else None


def wait_for_entry(driver, server, words):
    """Waits for a Forum activity entry with `words`; on timeout says what the event log held."""
    try:
        return wait(driver, HOOK_SECONDS).until(lambda d: entry_containing(d, words))
    except TimeoutException:
        events = driver.execute_script(
            "return fetch('/admin/api/events?source=userecho&limit=20').then(r => r.status + ' ' + r.text())")
        with open(server.log.name) as log:
            tail = log.read()[-4000:]
        pytest.fail(f"no forum entry with {words!r} after {HOOK_SECONDS} s.\n"
                    f"/admin/api/events?source=userecho: {events}\ncard: {text_of(driver, '#forum-activity')}\n"
                    f"server log:\n{tail}")


def card_screenshots(driver, name):
    """The Forum activity card itself in view, at desktop and phone width."""
    for width, height, suffix in [(DESKTOP, 900, "desktop"), (PHONE, 812, "phone")]:
        driver.set_window_size(width, height)
        time.sleep(0.3)
        driver.execute_script("document.getElementById('forum-activity').scrollIntoView({block: 'start'})")
        time.sleep(0.2)
        screenshot(driver, f"{name}-{suffix}")
    driver.execute_script("window.scrollTo(0, 0)")
    driver.set_window_size(DESKTOP, 900)


def test_a_topic_posted_through_the_console_shows_in_forum_activity(forum_server):
    server = forum_server
    token = uuid.uuid4().hex[:8]
    # Markup in a header is text, never markup.
    header = f"Print farm status <b>page</b> {token}"
    comment = f"Yes please, with an <img src=x> per printer {token}"
    driver = make_driver()
    try:
        sign_in(driver, server, "alice_prints")
        visible(driver, "#signed-in")

        # Nothing on the forum yet: the card says so, beside the (empty) orders.
        driver.get(server.url + "/admin")
        visible(driver, "#dashboard")
        empty = visible(driver, "#forum-empty")
        assert empty.text == "No forum activity yet — posts on the feedback forum appear here."
        assert visible(driver, "#forum-open").get_attribute("href") == server.url + "/sso/userecho"
        card_screenshots(driver, "dashboard-forum-empty")

        # A topic through the start page's console, as alice.
        driver.get(server.url + "/")
        visible(driver, "#signed-in")
        use_userecho_console(driver)
        choose_endpoint(driver, "POST /forums/{id}/topics")
        visible(driver, "#console-body")
        fill(driver, "console-param-id", "1")
        fill(driver, "console-body", json.dumps({"header": header, "description": "One page with every printer's job."}))
        assert text_of(driver, "#console-line") == "POST /api/userecho/forums/1/topics"
        assert send_and_wait(driver).startswith("200")
        topic = output_json(driver)["data"]
        assert topic["header"] == header

        # The dashboard shows it once the hook has arrived.
        driver.get(server.url + "/admin")
        visible(driver, "#dashboard")
        entry = wait_for_entry(driver, server, token)
        assert entry["kind"] == "New topic"
        assert entry["hook"] == "topic.created"
        assert entry["words"] == header
        assert not entry["markup"]
        assert entry["meta"] == f"by {ALICE_DISPLAY_NAME}"
        assert entry["time"]
        assert not driver.find_elements(By.ID, "forum-empty")
        assert entry["link"].startswith(server.url + "/sim/userecho/topics/")

        # A forum hook is no order: the orders stay empty.
        wait(driver).until(lambda d: text_of(d, "#total-orders") == "0")
        assert "No orders yet" in text_of(driver, "#orders-body")
        assert text_of(driver, "#orders-count") == "0 orders"

        # A comment while the dashboard is open comes in with the live refresh, under its topic.
        status = driver.execute_script(
            "return fetch(arguments[0], {method: 'POST', credentials: 'same-origin',"
            " headers: {'Content-Type': 'application/json', Accept: 'application/json'},"
            " body: JSON.stringify({text: arguments[1]})}).then(r => r.status)",
            f"/api/userecho/topics/{topic['id']}/comments", comment)
        assert status == 200
        entry = wait_for_entry(driver, server, f"per printer {token}")
        assert entry["kind"] == "New comment"
        assert entry["words"] == f"“{comment}”"
        assert not entry["markup"]
        assert entry["meta"] == f"on “{header}” · by {ALICE_DISPLAY_NAME}"
        # Newest first.
        assert [e["hook"] for e in forum_entries(driver)] == ["comment.created", "topic.created"]

        # Deleting the topic says so too (the header struck through, no link).
        status = driver.execute_script(
            "return fetch(arguments[0], {method: 'DELETE', credentials: 'same-origin', headers: {Accept: 'application/json'}}).then(r => r.status)",
            f"/api/userecho/topics/{topic['id']}")
        assert status == 200
        deleted = wait(driver, HOOK_SECONDS).until(lambda d: newest_entry(d, "topic.deleted"))
        assert deleted["kind"] == "Topic deleted"
        assert deleted["words"] == header
        assert deleted["link"] is None
        assert deleted["meta"] == f"posted by {ALICE_DISPLAY_NAME}"

        # The order lists still ask for Thingiverse's events only.
        with_source = driver.execute_script(
            "return fetch('/admin/api/events?source=thingiverse&limit=5').then(r => r.json()).then(b => b.events.length)")
        assert with_source == 0
        card_screenshots(driver, "dashboard-forum")
        full_screenshots(driver, "dashboard-forum-page")
        assert console_errors(driver) == []
    finally:
        driver.quit()


def test_simulated_orders_and_forum_activity_side_by_side(forum_server):
    """Orders from the dev banner and the forum's events, each in their own place."""
    server = forum_server
    driver = make_driver()
    try:
        sign_in(driver, server, "makerbot")
        visible(driver, "#signed-in")
        driver.get(server.url + "/admin")
        visible(driver, "#dashboard")
        driver.find_element(By.CSS_SELECTOR, "#dev-banner button[data-simulate=lifecycle]").click()
        wait(driver).until(lambda d: text_of(d, "#dev-status").startswith("Order "))
        order_id = text_of(driver, "#dev-status").split()[1].rstrip(":")
        wait(driver, 15).until(lambda d: d.find_elements(By.ID, f"order-{order_id}"))
        # Only that order is an order; the forum card shows forum hooks only (the earlier test's
        # three when it ran first, else its empty state).
        assert [row.get_attribute("id") for row in driver.find_elements(By.CSS_SELECTOR, "#orders-body tr[data-state]")] == [f"order-{order_id}"]
        wait(driver).until(lambda d: forum_entries(d) or d.find_elements(By.ID, "forum-empty"))
        assert all(e["hook"].startswith(("topic.", "comment.")) for e in forum_entries(driver))
        full_screenshots(driver, "dashboard-forum-with-orders")
        assert console_errors(driver) == []
    finally:
        driver.quit()
