"""A walk through the API console's community endpoints, in a real browser against ThingBridge in
development mode (the built-in Thingiverse simulator and its seed data, Sources/ThingiverseSimulator/
README.md): signed in as alice_prints, a person picks each endpoint, types its parameters and
JSON body, presses Send and reads the answer -- a group and its topics, a comment written and read
back, a collection created and filled. Screenshots of the console after the group, comment and
collection answers at desktop width, and of the collection answer at phone width."""
import json
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select

from conftest import Server, console_errors, make_driver, screenshot
from test_pages import DESKTOP, PHONE, text_of, visible, wait
from test_signin import allow_as

# Seeded records (Sources/ThingiverseSimulator/README.md, "Seed data").
GARDEN_GROUP = "5002"  # Garden & Balcony Prints, owned by alice_prints
SUN_TOPIC = "6003"  # alice's topic in 5002
THING_1 = "4100017"  # thingiverse's first thing; 7 seeded comments, 2000100 among them
ALICES_COMMENT = "2000100"  # alice's comment on thing 1


@pytest.fixture(scope="module")
def walk_server():
    """A server of its own: the walk writes a comment and a collection into the simulator."""
    running = Server()
    yield running
    running.stop()


@pytest.fixture
def driver():
    browser = make_driver(DESKTOP, 900)
    yield browser
    browser.quit()


def choose(driver, endpoint):
    """Picks the endpoint in the console's list, as a person would from the drop-down."""
    picker = driver.find_element(By.ID, "console-endpoint")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", picker)
    picker.click()
    Select(picker).select_by_value(endpoint)
    assert Select(picker).first_selected_option.get_attribute("value") == endpoint


def type_into(driver, element_id, text):
    field = driver.find_element(By.ID, element_id)
    field.clear()
    field.send_keys(text)
    return field


def send(driver, expected_line):
    """Presses Send once the request line reads as expected; waits for the answer and returns
    (status text, parsed JSON shown)."""
    assert text_of(driver, "#console-line") == expected_line
    # The previous answer stays until the new one arrives: tell them apart by the button.
    driver.execute_script("document.getElementById('console-output').textContent = ''")
    driver.find_element(By.ID, "console-send").click()
    wait(driver).until(lambda d: d.find_element(By.ID, "console-send").is_enabled()
                       and d.find_element(By.ID, "console-output").get_attribute("textContent"))
    assert visible(driver, "#console-response")
    status = text_of(driver, "#console-status")
    shown = driver.find_element(By.ID, "console-output").get_attribute("textContent")
    return status, json.loads(shown)


def assert_2xx(status, expected):
    assert status.split()[0] == str(expected), status
    assert 200 <= int(status.split()[0]) < 300


def shoot_console(driver, name, width=DESKTOP):
    """The console card with its answer: the window tall enough to hold the whole card."""
    card = driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby=console-title]")
    driver.set_window_size(width, 900)
    time.sleep(0.3)
    height = driver.execute_script("return arguments[0].getBoundingClientRect().height", card)
    driver.set_window_size(width, int(min(max(height + 200, 700), 3000)))
    time.sleep(0.3)
    driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", card)
    overflow = driver.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name}: the page scrolls sideways at {width}px"
    # The JSON wraps its long strings (URLs) rather than hiding them past the box's right edge.
    hidden = driver.execute_script("const o = document.getElementById('console-output'); return o.scrollWidth - o.clientWidth")
    assert hidden <= 0, f"{name}: the JSON scrolls sideways at {width}px"
    screenshot(driver, name)
    driver.set_window_size(DESKTOP, 900)


def test_the_console_walks_a_group_a_comment_and_a_collection(walk_server, driver):
    driver.get(walk_server.url + "/")
    visible(driver, "#signin-code").click()
    allow_as(driver, "alice_prints")
    visible(driver, "#signed-in")
    assert text_of(driver, "#user-name") == "alice_prints"
    assert driver.find_element(By.ID, "console-provider-thingiverse").is_selected()

    # A group: GET /groups/{id} for alice's Garden & Balcony Prints.
    choose(driver, "GET /groups/{id}")
    type_into(driver, "console-param-id", GARDEN_GROUP)
    status, group = send(driver, f"GET /api/groups/{GARDEN_GROUP}")
    assert_2xx(status, 200)
    assert group["id"] == int(GARDEN_GROUP) and group["name"] == "Garden & Balcony Prints"
    assert group["owner"]["name"] == "alice_prints" and group["is_owner"] is True
    assert "Garden & Balcony Prints" in text_of(driver, "#console-output")
    assert "requests left" in text_of(driver, "#console-rate")
    shoot_console(driver, "console-walk-group-desktop")

    # Its topics, then one topic by id.
    choose(driver, "GET /groups/{id}/group-topics")
    assert driver.find_element(By.ID, "console-param-id").get_attribute("value") == GARDEN_GROUP  # kept across endpoints
    status, topics = send(driver, f"GET /api/groups/{GARDEN_GROUP}/group-topics")
    assert_2xx(status, 200)
    assert [topic["id"] for topic in topics] == [int(SUN_TOPIC)]
    assert topics[0]["name"] == "Which filament survives the sun?"

    choose(driver, "GET /group-topics/{id}")
    type_into(driver, "console-param-id", SUN_TOPIC)
    status, topic = send(driver, f"GET /api/group-topics/{SUN_TOPIC}")
    assert_2xx(status, 200)
    assert topic["group_id"] == int(GARDEN_GROUP) and topic["creator"]["name"] == "alice_prints"
    assert topic["body"] == "My PLA planter warped in July."

    # A comment: write one on thing 1, then find it in the thing's comments.
    words = f"Printed it in PETG, survived the summer ({int(time.time())})."
    choose(driver, "POST /things/{id}/comments")
    type_into(driver, "console-param-id", THING_1)
    assert driver.find_element(By.ID, "console-body-field").is_displayed()
    type_into(driver, "console-body", json.dumps({"body": words}))
    status, comment = send(driver, f"POST /api/things/{THING_1}/comments")
    assert_2xx(status, 201)
    assert comment["body"] == words and comment["user"]["name"] == "alice_prints"
    assert comment["target_type"] == "thing" and comment["target_id"] == int(THING_1)
    new_comment = comment["id"]

    choose(driver, "GET /things/{id}/comments")
    assert driver.find_element(By.ID, "console-param-id").get_attribute("value") == THING_1
    assert not driver.find_element(By.ID, "console-body-field").is_displayed()
    status, comments = send(driver, f"GET /api/things/{THING_1}/comments")
    assert_2xx(status, 200)
    ids = [c["id"] for c in comments]
    assert int(ALICES_COMMENT) in ids and ids[-1] == new_comment  # oldest first: the new one last
    assert comments[-1]["body"] == words
    assert words in driver.find_element(By.ID, "console-output").get_attribute("textContent")

    # A comment by id: alice's seeded one.
    choose(driver, "GET /comments/{id}")
    type_into(driver, "console-param-id", ALICES_COMMENT)
    status, seeded = send(driver, f"GET /api/comments/{ALICES_COMMENT}")
    assert_2xx(status, 200)
    assert seeded["id"] == int(ALICES_COMMENT) and seeded["user"]["name"] == "alice_prints"
    assert seeded["target_id"] == int(THING_1) and seeded["body"]
    assert seeded["body"] in text_of(driver, "#console-output")
    shoot_console(driver, "console-walk-comment-desktop")

    # A collection: create one, read it back, put thing 1 in it, and see it there.
    choose(driver, "POST /collections")
    assert not driver.find_element(By.ID, "console-params-set").is_displayed()
    type_into(driver, "console-body", json.dumps({"name": "Balcony Winners", "description": "Prints that took the sun."}))
    status, created = send(driver, "POST /api/collections")
    assert_2xx(status, 201)
    assert created["name"] == "Balcony Winners" and created["creator"]["name"] == "alice_prints"
    assert created["count"] == 0
    collection = str(created["id"])

    choose(driver, "GET /collections/{id}")
    type_into(driver, "console-param-id", collection)
    status, shown = send(driver, f"GET /api/collections/{collection}")
    assert_2xx(status, 200)
    assert shown["id"] == created["id"] and shown["name"] == "Balcony Winners"
    assert shown["description"] == "Prints that took the sun." and shown["is_editable"] is True

    choose(driver, "POST /collections/{collection_id}/thing/{thing_id}")
    type_into(driver, "console-param-collection_id", collection)
    type_into(driver, "console-param-thing_id", THING_1)
    type_into(driver, "console-body", json.dumps({"description": "Where it all started."}))
    status, added = send(driver, f"POST /api/collections/{collection}/thing/{THING_1}")
    assert_2xx(status, 200)
    assert added == {"ok": "ok"}

    choose(driver, "GET /collections/{id}/things")
    assert driver.find_element(By.ID, "console-param-id").get_attribute("value") == collection
    status, things = send(driver, f"GET /api/collections/{collection}/things")
    assert_2xx(status, 200)
    assert [thing["id"] for thing in things] == [int(THING_1)]

    choose(driver, "GET /collections/{id}")
    status, shown = send(driver, f"GET /api/collections/{collection}")
    assert_2xx(status, 200)
    assert shown["count"] == 1 and shown["name"] == "Balcony Winners"
    shoot_console(driver, "console-walk-collection-desktop")
    shoot_console(driver, "console-walk-collection-phone", width=PHONE)
    assert console_errors(driver) == []
