"""Browser checks: a real ThingBridge binary in development mode (SQLite + built-in simulator),
driven by headless Chromium through Selenium. Nothing is downloaded: Debian's chromium and
chromium-driver are used."""
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.wait import WebDriverWait

ROOT = Path(__file__).resolve().parents[2]


def _riding_out_navigation(until):
    """Every wait rides out a page that is navigating: Chrome answers a command sent while a
    redirect or `location.replace` is under way with "aborted by navigation" instead of
    finding the element, which failed CI runs at random. Only that answer is retried; any
    other error still ends the wait."""
    def wait_until(self, method, message=""):
        def attempt(driver):
            try:
                return method(driver)
            except WebDriverException as error:
                if "aborted by navigation" in str(error):
                    return False
                raise
        return until(self, attempt, message)
    return wait_until


WebDriverWait.until = _riding_out_navigation(WebDriverWait.until)
SCREENSHOTS = Path(os.environ.get("THINGBRIDGE_SCREENSHOTS", ROOT / ".ci" / "artifacts" / "screenshots"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def binary() -> str:
    configured = os.environ.get("THINGBRIDGE_BINARY")
    if configured:
        return configured
    built = ROOT / ".build" / "debug" / "thingbridge"
    if not built.exists():
        subprocess.run(["swift", "build", "--product", "thingbridge"], cwd=ROOT, check=True)
    return str(built)


def eventually(condition, seconds, what="the condition"):
    """The first truthy value `condition()` gives within `seconds` (asked every 0.1 s); the test
    fails saying `what` did not happen otherwise."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"{what} did not happen in {seconds} s")


def wait_until_ready(url, process, seconds=30) -> bool:
    """Whether the server at `url` answers `/readyz` with 200 within `seconds` (False at once if
    its process has exited)."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url + "/readyz", timeout=1) as reply:
                if reply.status == 200:
                    return True
        except OSError:
            if process.poll() is not None:
                return False
            time.sleep(0.2)
    return False


class Server:
    def __init__(self, extra_env=None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data = tempfile.mkdtemp(prefix="thingbridge-browser-")
        env = dict(os.environ)
        env.update({
            "THINGBRIDGE_PORT": str(self.port),
            "THINGBRIDGE_DATABASE_URL": f"sqlite:{self.data}/thingbridge.sqlite",
            "THINGBRIDGE_LOG_LEVEL": "warning",
        })
        env.update(extra_env or {})
        self.log = open(Path(self.data) / "server.log", "w")
        self.process = subprocess.Popen([binary()], cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        if not wait_until_ready(self.url, self.process):
            self.stop()
            raise RuntimeError("ThingBridge did not start; see " + self.log.name)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
        shutil.rmtree(self.data, ignore_errors=True)


@pytest.fixture(scope="session")
def server():
    running = Server()
    yield running
    running.stop()


def make_driver(width=1280, height=900):
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", f"--window-size={width},{height}"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


@pytest.fixture
def browser():
    driver = make_driver()
    yield driver
    driver.quit()


def screenshot(driver, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))


def console_errors(driver):
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
