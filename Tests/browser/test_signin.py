"""Signing in through the built-in simulator with both OAuth flows, in a real browser."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.ui import WebDriverWait

from conftest import console_errors, screenshot


def allow_as(browser, user):
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.ID, "user")))
    Select(browser.find_element(By.ID, "user")).select_by_value(user)
    browser.find_element(By.CSS_SELECTOR, "button[value=allow]").click()


def signed_in_name(browser):
    WebDriverWait(browser, 10).until(EC.visibility_of_element_located((By.ID, "signed-in")))
    # Read in a wait too: the page may still be replacing itself after the token flow.
    return WebDriverWait(browser, 10).until(lambda b: b.find_element(By.ID, "user-name").text)


def test_code_flow_signs_in_and_shows_the_name(server, browser):
    browser.get(server.url + "/")
    WebDriverWait(browser, 10).until(EC.visibility_of_element_located((By.ID, "signin-code")))
    screenshot(browser, "index-signed-out")
    browser.find_element(By.ID, "signin-code").click()
    screenshot(browser, "simulator-authorize")
    allow_as(browser, "alice_prints")
    assert signed_in_name(browser) == "alice_prints"
    assert "code=" not in browser.current_url
    screenshot(browser, "index-signed-in")
    cookies = {cookie["name"]: cookie for cookie in browser.get_cookies()}
    assert cookies["tb_session"]["httpOnly"] is True
    assert console_errors(browser) == []

    browser.find_element(By.ID, "signout").click()
    WebDriverWait(browser, 10).until(EC.visibility_of_element_located((By.ID, "signin-code")))


def test_token_flow_signs_in_and_removes_the_token_from_the_address_bar(server, browser):
    browser.get(server.url + "/")
    WebDriverWait(browser, 10).until(EC.visibility_of_element_located((By.ID, "signin-token")))
    browser.find_element(By.ID, "signin-token").click()
    allow_as(browser, "bob_builds")
    assert signed_in_name(browser) == "bob_builds"
    assert "access_token" not in browser.current_url
    assert browser.execute_script("return window.location.hash") == ""
    assert console_errors(browser) == []
