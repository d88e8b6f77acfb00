"""Browser helpers for the web console tests: Debian's chromium driven by Playwright for Python
(installed by scripts/install-deps --test and scripts/test-env; no browser download), sign-in,
page weights and screenshots (to a scratch folder unless IBRAT_UPDATE_SCREENSHOTS=1)."""
import os
import shutil
import tempfile

import pytest
from playwright.sync_api import expect, sync_playwright

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# Screenshots go to a scratch folder (IBRAT_SCREENSHOT_DIR, default /tmp/ibrat-screenshots) so a
# test run leaves the checkout clean; IBRAT_UPDATE_SCREENSHOTS=1 writes the committed ones in
# docs/screenshots/ instead (after a change to a screen).
UPDATE_SCREENSHOTS = os.environ.get("IBRAT_UPDATE_SCREENSHOTS") == "1"
SCREENSHOTS = (os.path.join(ROOT, "docs", "screenshots") if UPDATE_SCREENSHOTS
               else os.environ.get("IBRAT_SCREENSHOT_DIR") or os.path.join(tempfile.gettempdir(), "ibrat-screenshots"))
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def chromium_path():
    """The system Chromium (IBRAT_CHROMIUM overrides); the tests need it, so its absence fails."""
    path = os.environ.get("IBRAT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    assert os.path.exists(path), "Debian's chromium is missing: run scripts/install-deps --test"
    return path


def launch(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(),
                                      args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"])


class Console:
    """One browser page on the console, collecting page errors and dialogs (the XSS probe)."""

    def __init__(self, browser, system, viewport=DESKTOP):
        self.system = system
        self.context = browser.new_context(viewport=viewport)
        self.page = self.context.new_page()
        self.errors = []
        self.dialogs = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def open(self, route=""):
        self.page.goto(self.system.url + "/" + (f"#{route}" if route else ""))
        return self.page

    def sign_in(self, email, password):
        page = self.open()
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        expect(page.locator("#topbar")).to_be_visible()
        expect(page.locator("#conn")).to_have_text("Live", timeout=10_000)
        return page

    def go(self, route):
        self.page.evaluate("r => { location.hash = r; }", route)
        return self.page

    def stat(self, key):
        return self.page.locator(f'[data-stat="{key}"]')

    def token(self):
        return self.page.evaluate("() => JSON.parse(sessionStorage.getItem('ibrat.session') || 'null')?.token")

    def screenshot(self, name, full_page=False):
        """Saves the page as SCREENSHOTS/name (see UPDATE_SCREENSHOTS); returns the path."""
        os.makedirs(SCREENSHOTS, exist_ok=True)
        path = os.path.join(SCREENSHOTS, name)
        self.page.screenshot(path=path, full_page=full_page)
        return path

    def horizontal_overflow(self):
        return self.page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")

    def close(self):
        self.context.close()


# Fixtures shared by the browser test modules (import them: `from web_kit import browser, consoles`).
@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture
def consoles(browser, system):
    """`consoles(viewport=None)` opens a Console; at the end none may have had a JavaScript error
    or an alert (the XSS probes)."""
    opened = []

    def make(viewport=None):
        c = Console(browser, system, viewport) if viewport else Console(browser, system)
        opened.append(c)
        return c
    yield make
    for c in opened:
        assert not c.errors, f"JavaScript errors: {c.errors}"
        assert c.dialogs == [], f"alerts: {c.dialogs}"
        c.close()
