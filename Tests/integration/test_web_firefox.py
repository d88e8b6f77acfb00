"""The web console (issue 13) in Firefox: Debian's firefox-esr driven over WebDriver BiDi (see
firefox_bidi.py and firefox_tab.py; test_web_console.py covers Chromium). The admin signs in through
the form and the wallboard counts a lead created through REST, live over the console's own
Socket.IO client; an operator signs in to the workspace, goes available with the switch, gets
the screen pop of an answered simulated call with a running timer and saves the outcome. No tab may log a JavaScript error, a console error
or a Content-Security-Policy violation. Skipped only when firefox-esr is not installed
(scripts/install-deps --test installs it)."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from firefox_bidi import Firefox, firefox_path  # noqa: E402
from firefox_tab import Tab  # noqa: E402
from helpers import call, create_lead, expect as expect_status, register, set_unavailable  # noqa: E402

ADMIN = ("admin@example.com", "admin-password-123")
# Every simulated call is answered and talks long enough to see the screen pop (as in test_web_console.py).
ANSWERING = {"IBRAT_SIM_P_ANSWER": "1", "IBRAT_SIM_P_BUSY": "0", "IBRAT_SIM_P_NO_ANSWER": "0",
             "IBRAT_SIM_P_FAILED": "0", "IBRAT_SIM_RING_SECONDS": "20-20", "IBRAT_SIM_TALK_SECONDS": "1000-1000"}

ADMIN_PAGES = [("/leads", "Leads"), ("/users", "Users"), ("/reports", "Reports"), ("/system", "System"),
               ("/dnc", "Do not call")]


@pytest.fixture(scope="module")
def firefox():
    path = firefox_path()
    if path is None:
        pytest.skip("firefox-esr is not installed (scripts/install-deps --test installs it)")
    browser = Firefox(path)
    browser.command("session.subscribe", events=["log.entryAdded"])
    yield browser
    browser.close()


@pytest.fixture
def tabs(firefox):
    """`tabs()` opens a Tab; at the end none may have logged a problem (errors, CSP violations)."""
    opened = []

    def make():
        opened.append(Tab(firefox))
        return opened[-1]
    yield make
    for tab in opened:
        problems = tab.problems()
        tab.close()
        assert problems == [], f"problems in Firefox: {problems}"


def sign_in(tab, system, email, password, landing):
    tab.open(system.url + "/")
    tab.fill("Email", email)
    tab.fill("Password", password)
    tab.press("Sign in")
    tab.wait_for_text("main h1", landing)
    tab.wait_until("return shown(document.getElementById('topbar'));", what="the top bar")
    tab.wait_for_text("#conn", "Live")   # the console's Socket.IO client is connected


def stat(key):
    return f'[data-stat="{key}"]'


def test_admin_signs_in_and_the_wallboard_counts_a_new_lead_live(system, tabs):
    board = tabs()
    sign_in(board, system, *ADMIN, landing="Wallboard")
    board.wait_for_text(stat("queue.state"), "Running")
    board.wait_until("return document.querySelector(args[0])?.textContent.trim() === '0';", stat("leads.total"),
                     what="the wallboard to count 0 leads")
    token = system.login()
    create_lead(system, token, "+998901000031", name="Firefox Lead", priority="high")
    board.wait_until("return document.querySelector(args[0])?.textContent.trim() === '1';", stat("leads.total"),
                     what="the wallboard to count the new lead (Socket.IO lead_created)")
    assert board.text(stat("leads.pending")) in ("0", "1")   # no operator: it may stay pending
    assert "null" not in board.text("main") and "undefined" not in board.text("main")
    board.screenshot("firefox-wallboard.png")

    for route, heading in ADMIN_PAGES:   # every other admin page renders in Firefox too
        board.js("location.hash = args[0]; return true;", route)
        board.wait_for_text("main h1", heading)
        board.wait_until("return !document.querySelector('main [role=alert]:not([hidden])');",
                         what=f"{route} without an error message")


@pytest.mark.ibrat_env(ANSWERING)
def test_operator_signs_in_goes_available_and_gets_the_screen_pop(system, tabs):
    admin_token = system.login()
    _, op_token = register(system, admin_token, "Fatima Firefox", "fatima@example.com")
    set_unavailable(system, op_token)
    op = tabs()
    sign_in(op, system, "fatima@example.com", "operator-pass-1", landing="Workspace")
    op.wait_for_text("#whoami", "Fatima Firefox")
    switch = op.wait_for_element("return document.querySelector('[role=switch]');", what="the availability switch")
    assert op.js("return document.querySelector('[role=switch]').checked;") is False
    op.click(switch)
    op.wait_until("return document.querySelector('[role=switch]').checked;", what="the switch to turn on")
    op.wait_for_text("#availability-state", "You receive calls")
    profile = expect_status(call(system, "GET", "/api/auth/me", op_token), 200)
    assert profile["user"]["isAvailable"] is True, profile

    create_lead(system, admin_token, "+998901000032", name="Jasur Firefox", notes="Call after lunch")
    op.wait_for_text(".screen-pop [data-field='name']", "Jasur Firefox")
    assert op.text(".screen-pop [data-field='phone']") == "+998901000032"
    assert op.text(".screen-pop [data-field='notes']") == "Call after lunch"
    op.wait_until("return !['', '0:00'].includes(document.querySelector('.screen-pop [role=timer]')?.textContent.trim() ?? '');",
                  what="the call timer to run")
    op.screenshot("firefox-workspace.png")

    choose(op, "Outcome", "completed")
    choose(op, "Disposition", "interested")
    op.fill("Notes", "Quote sent from Firefox")
    op.press("Save outcome")
    op.wait_for_text(".screen-pop", "Outcome saved")
    history = expect_status(call(system, "GET", "/api/operator/calls/history", op_token), 200)["calls"]
    assert [(c["disposition"], c["notes"]) for c in history if c["lead"]["name"] == "Jasur Firefox"] == \
        [("interested", "Quote sent from Firefox")], history

    for route, heading in [("/available", "Available leads"), ("/performance", "My performance"), ("/my-calls", "My calls")]:
        op.js("location.hash = args[0]; return true;", route)
        op.wait_for_text("main h1", heading)
    op.wait_for_text("table[aria-label='My calls'] tbody", "Quote sent from Firefox")


def choose(tab, label, value):
    """Picks `value` in the <select> labelled `label` (as the keyboard would: value, then a change event)."""
    tab.wait_for_element("return byLabel(args[0]);", label, what=f"a select labelled {label!r}")
    chosen = tab.js("const s = byLabel(args[0]); s.value = args[1];"
                    " s.dispatchEvent(new Event('change', { bubbles: true })); return s.value;", label, value)
    assert chosen == value, f"{label!r} has no option {value!r}"
