"""The dashboard past the 5,000 orders a browser could once add up: the totals come from the
server's figures, equal to what SQL over the stored orders says, and the orders table pages on
the server."""
import json
import random
import sqlite3
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from conftest import Server, console_errors, make_driver, screenshot
from test_pages import full_screenshots, post_json, sign_in, text_of, visible, wait

ORDERS = 5_200


@pytest.fixture(scope="module")
def seeded():
    """Its own ThingBridge with 5,200 orders (some refunded, some waiting for a decision),
    sent through the real webhook endpoint in parallel."""
    server = Server()
    try:
        with urllib.request.urlopen(server.url + "/dev/info", timeout=5) as reply:
            webhook_url = json.loads(reply.read())["webhook_url"]
        rng = random.Random(22)
        deliveries = []
        for index in range(ORDERS):
            order = {"id": str(700_000 + index), "thing_id": str(rng.randint(1, 400)),
                     "amount": f"{rng.randint(1, 9999)}.{rng.randint(0, 99):02d}", "fees": "0.50",
                     "add_date": f"2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)} 12:00:00"}
            deliveries.append({"event": "order_created", "order": {**order, "modified_date": order["add_date"]}})
            roll = rng.random()
            if roll < 0.06:
                deliveries.append({"event": "order_refunded", "order": {**order, "modified_date": "2024-10-01 09:00:00"}})
            elif roll < 0.10:
                deliveries.append({"event": "refund_requested", "order": {**order, "modified_date": "2024-10-02 09:00:00"}})
        with ThreadPoolExecutor(max_workers=16) as pool:
            statuses = list(pool.map(lambda body: post_json(webhook_url, body)[0], deliveries))
        assert statuses.count(200) == len(deliveries)
        yield server
    finally:
        server.stop()


def figures_from_sql(server):
    """Totals computed independently, straight from the stored order rows (exact decimals)."""
    with sqlite3.connect(f"file:{Path(server.data) / 'thingbridge.sqlite'}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT state, amount FROM orders").fetchall()
    revenue = sum((Decimal(amount) for state, amount in rows if state != "refunded"), Decimal("0"))
    refunded = sum((Decimal(amount) for state, amount in rows if state == "refunded"), Decimal("0"))
    return {
        "orders": len(rows),
        "revenue": revenue,
        "refunded": refunded,
        "refunded_count": sum(1 for state, _ in rows if state == "refunded"),
        "requested": sum(1 for state, _ in rows if state == "refund_requested"),
        "created": sum(1 for state, _ in rows if state == "created"),
    }


def row_ids(driver):
    """The ids of the table's order rows, read in one go (a live refresh may redraw them)."""
    return driver.execute_script("return [...document.querySelectorAll('#orders-body tr[data-state]')].map(row => row.id)")


def dollars(amount):
    return f"${amount:,.2f}"


def test_dashboard_totals_are_exact_past_five_thousand_orders(seeded):
    expected = figures_from_sql(seeded)
    assert expected["orders"] == ORDERS
    driver = make_driver()
    try:
        sign_in(driver, seeded, "makerbot")
        visible(driver, "#signed-in")
        started = time.monotonic()
        driver.get(seeded.url + "/admin")
        wait(driver).until(lambda d: text_of(d, "#total-orders") == f"{ORDERS:,}")
        shown_after = time.monotonic() - started
        print(f"totals shown {shown_after:.3f} s after navigation")
        assert text_of(driver, "#total-revenue") == dollars(expected["revenue"])
        assert text_of(driver, "#total-refunds") == dollars(expected["refunded"])
        assert text_of(driver, "#total-refunds-sub") == f"{expected['refunded_count']:,} orders"
        assert text_of(driver, "#total-requested") == f"{expected['requested']:,}"
        assert text_of(driver, "#total-orders-sub") == f"{expected['created']:,} active"
        assert shown_after < 5, f"the totals took {shown_after:.1f} s"

        # The table holds one page, and says how many there are in all.
        rows = row_ids(driver)
        assert len(rows) == 50
        assert rows[0] == f"order-{700_000 + ORDERS - 1}"
        assert text_of(driver, "#orders-count") == f"{ORDERS:,} orders · showing 1–50"
        driver.find_element(By.ID, "orders-older").click()
        wait(driver).until(lambda d: d.find_elements(By.ID, f"order-{700_000 + ORDERS - 51}"))
        assert text_of(driver, "#orders-count") == f"{ORDERS:,} orders · showing 51–100"
        driver.find_element(By.ID, "orders-newer").click()
        wait(driver).until(lambda d: d.find_elements(By.ID, f"order-{700_000 + ORDERS - 1}"))

        # A search for an order far down the list finds it on the server.
        driver.find_element(By.ID, "filter-search").send_keys("700003")
        wait(driver).until(lambda d: "order-700003" in row_ids(d))
        screenshot(driver, "dashboard-scale-search-desktop")
        driver.find_element(By.ID, "filter-search").clear()
        driver.execute_script("document.getElementById('filter-search').dispatchEvent(new Event('input'))")
        wait(driver).until(lambda d: len(row_ids(d)) == 50)
        full_screenshots(driver, "dashboard-scale")
        assert console_errors(driver) == []
    finally:
        driver.quit()
