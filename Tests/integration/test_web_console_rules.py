"""The web console's screens for the dialing rules and pacing (issues 12–14), in Debian's chromium:
the do-not-call list (add, search, remove, CSV import, from the keyboard, values as text), calling
hours and pacing set from the System page (the API then says so, the wallboard shows the mode and
the operators by state), the screen pop of a manual call with its outcome and disposition, the
disposition counts in Reports and the lead detail's history (calls with disposition and notes,
events). Screenshots of the new screens go where web_kit.SCREENSHOTS says."""
import os
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import expect

sys.path.insert(0, os.path.dirname(__file__))
from helpers import call, create_lead, expect as expect_status, register, set_unavailable  # noqa: E402
from web_kit import PHONE, browser, consoles  # noqa: E402,F401  (fixtures)

ADMIN = ("admin@example.com", "admin-password-123")
# Calls are answered after ~0.2 s and talk for 10 s (scale 0.01): time to record an outcome live.
ANSWERING = {"IBRAT_SIM_P_ANSWER": "1", "IBRAT_SIM_P_BUSY": "0", "IBRAT_SIM_P_NO_ANSWER": "0", "IBRAT_SIM_P_MACHINE": "0",
             "IBRAT_SIM_P_FAILED": "0", "IBRAT_SIM_RING_SECONDS": "20-20", "IBRAT_SIM_TALK_SECONDS": "1000-1000"}
XSS = "<img src=x onerror=alert(1)>"


def test_do_not_call_list_add_search_remove_and_import(system, consoles, tmp_path):
    token = system.login()
    create_lead(system, token, "+998901110002", name="Listed Lead")
    admin = consoles()
    page = admin.sign_in(*ADMIN)
    admin.go("/dnc")
    expect(page.get_by_role("heading", name="Do not call")).to_be_visible()
    rows = page.locator('table[aria-label="Do-not-call numbers"] tbody tr')
    expect(rows).to_have_text(["The list is empty."])

    # From the keyboard: the phone field, Tab to the reason, Enter submits.
    page.get_by_label("Phone number").focus()
    page.keyboard.type("+998901110001")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Reason")).to_be_focused()
    page.keyboard.type(XSS)
    page.keyboard.press("Enter")
    expect(rows.filter(has_text="+998901110001").locator('[data-field="reason"]')).to_have_text(XSS)
    assert page.locator("main img").count() == 0
    listed = expect_status(call(system, "GET", "/api/admin/dnc", token), 200)["numbers"]
    assert [(n["phone"], n["reason"]) for n in listed] == [("+998901110001", XSS)]

    page.get_by_label("Phone number").fill("12")
    page.get_by_role("button", name="Add to list").click()
    expect(page.get_by_role("alert").filter(has_text="phone")).to_be_visible()

    csv = tmp_path / "dnc.csv"
    csv.write_text("phone,reason\n+998901110002,asked by phone\n+998901110001,again\nnot-a-phone,\n")
    page.get_by_label("CSV file").set_input_files(str(csv))
    page.get_by_role("button", name="Upload").click()
    expect(admin.stat("dnc-import.successCount")).to_have_text("1")
    expect(admin.stat("dnc-import.duplicateCount")).to_have_text("1")
    expect(admin.stat("dnc-import.errorCount")).to_have_text("1")
    expect(admin.stat("dnc-import.leadsFlagged")).to_have_text("1")
    expect(rows).to_have_count(2)

    page.get_by_label("Search", exact=True).fill("asked by")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("+998901110002")
    with page.expect_download() as download:   # the export, with the search applied
        page.get_by_role("button", name="Download CSV").click()
    assert download.value.suggested_filename == "do-not-call.csv"
    lines = open(download.value.path(), encoding="utf-8").read().splitlines()
    assert lines[0] == "phone,reason,source,addedBy,createdAt" and len(lines) == 2, lines
    assert lines[1].startswith("+998901110002,asked by phone,import,"), lines
    admin.screenshot("dnc.png")
    rows.first.get_by_role("button", name="Remove +998901110002").click()
    page.get_by_role("dialog").get_by_role("button", name="Remove from list").click()
    expect(rows).to_have_text(["No listed number matches."])
    left = expect_status(call(system, "GET", "/api/admin/dnc", token), 200)["numbers"]
    assert [n["phone"] for n in left] == ["+998901110001"]


def test_system_sets_calling_hours_and_pacing_and_the_wallboard_shows_pacing_and_states(system, consoles):
    token = system.login()
    op_id, op_token = register(system, token, "State Operator", "state-op@example.com")
    set_unavailable(system, op_token)
    board = consoles()
    board.sign_in(*ADMIN)
    expect(board.stat("pacing.mode")).to_have_text("Progressive", timeout=10_000)
    expect(board.stat("pacing.cap")).to_have_text("3%")
    expect(board.stat("states.unavailable")).to_have_text("1", timeout=10_000)
    row = board.page.locator('table[aria-label="Operators"] tbody tr').filter(has_text="State Operator")
    expect(row.locator('[data-field="state"]')).to_have_text("❚❚ Break", timeout=10_000)

    admin = consoles()
    page = admin.sign_in(*ADMIN)
    admin.go("/system")
    # The form is filled from the system status when it arrives (and not after the admin edits
    # it): wait for the current hours, or the days are still all unchecked and the form refuses.
    expect(page.locator('[data-field="calling-hours"]')).to_contain_text("Now: ", timeout=10_000)
    hours = page.get_by_role("form", name="Calling hours")
    hours.get_by_label("From (HH:MM)").fill("08:30")
    hours.get_by_label("Until (HH:MM)").fill("19:00")
    hours.get_by_label("Sunday").uncheck()
    hours.get_by_role("button", name="Set calling hours").click()
    page.get_by_role("dialog").get_by_role("button", name="Set calling hours").click()
    expect(page.get_by_role("status").filter(has_text="Calling hours updated")).to_be_visible()
    expect(page.locator('[data-field="calling-hours"]')).to_have_text("Now: 08:30–19:00, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday")
    q = expect_status(call(system, "GET", "/api/admin/system-status", token), 200)["systemStatus"]["callQueue"]
    assert q["callingHours"] == {"start": "08:30", "end": "19:00", "days": ["mon", "tue", "wed", "thu", "fri", "sat"]}

    pacing = page.get_by_role("form", name="Pacing")
    pacing.get_by_label("Pacing mode").select_option("predictive")
    pacing.get_by_label("Abandon-rate cap (%)").fill("2.5")
    pacing.get_by_role("button", name="Set pacing").click()
    page.get_by_role("dialog").get_by_role("button", name="Set pacing").click()
    expect(page.get_by_role("status").filter(has_text="Pacing updated")).to_be_visible()
    expect(page.locator('[data-field="pacing-cap"]')).to_have_text("2.5%")
    expect(page.locator('[data-field="pacing-mode"]')).to_contain_text("Predictive")
    p = expect_status(call(system, "GET", "/api/admin/system-status", token), 200)["systemStatus"]["callQueue"]["pacing"]
    assert p["mode"] == "predictive" and p["maxAbandonRate"] == 0.025
    admin.screenshot("system.png", full_page=True)

    # The wallboard follows without a reload: the mode set (with one operator it stays progressive
    # in effect: small-team protection), the cap, and the operator's state when they go available.
    expect(board.stat("pacing.mode")).to_contain_text("Predictive", timeout=10_000)
    expect(board.stat("pacing.cap")).to_have_text("2.5%")
    expect_status(call(system, "PUT", "/api/operator/profile/availability", op_token, json={"isAvailable": True}), 200)
    expect(row.locator('[data-field="state"]')).to_have_text("✓ Available", timeout=10_000)
    expect(board.stat("states.available")).to_have_text("1", timeout=10_000)

    admin.go("/users")
    user_row = page.locator('table[aria-label="Users"] tbody tr').filter(has_text="State Operator")
    expect(user_row.locator('[data-field="operator-state"]')).to_have_text("✓ Available")

    admin.go("/system")   # a cap over 50% is refused by the form: no confirmation, nothing sent
    cap = page.get_by_role("form", name="Pacing").get_by_label("Abandon-rate cap (%)")
    cap.fill("60")
    page.get_by_role("form", name="Pacing").get_by_role("button", name="Set pacing").click()
    assert cap.evaluate("e => e.validity.rangeOverflow") is True
    expect(page.get_by_role("dialog")).to_have_count(0)


@pytest.mark.ibrat_env(ANSWERING)
def test_manual_call_screen_pop_outcome_then_reports_and_lead_history(system, consoles):
    token = system.login()
    op_id, op_token = register(system, token, "Manual Operator", "manual-op@example.com")
    set_unavailable(system, op_token)   # no automatic call: the operator dials themselves
    lead = create_lead(system, token, "+998901120001", name=XSS, priority="high", notes="Prefers <b>mornings</b>")
    op = consoles()
    page = op.sign_in("manual-op@example.com", "operator-pass-1")
    op.go("/available")
    page.locator('table[aria-label="Available leads"] tbody tr').filter(has_text=XSS).get_by_role("button", name="Claim").click()
    mine = page.locator('table[aria-label="My claimed leads"] tbody tr').filter(has_text=XSS)
    mine.get_by_role("button", name="Start call").click()

    pop = page.locator(".screen-pop")
    expect(pop).to_be_visible(timeout=10_000)
    expect(page.get_by_role("heading", name="Workspace")).to_be_visible()
    expect(pop.get_by_role("heading", name="☎ Your call")).to_be_visible()
    expect(pop.locator('[data-field="name"]')).to_have_text(XSS)
    expect(pop.locator('[data-field="notes"]')).to_have_text("Prefers <b>mornings</b>")
    expect(pop).to_contain_text("Answered", timeout=10_000)
    expect(page.locator('[data-field="my-state"]')).to_have_text("☎ On call", timeout=10_000)
    pop.get_by_label("Outcome", exact=True).select_option("completed")
    pop.get_by_label("Disposition").select_option("sale")
    pop.get_by_label("Notes").fill("Bought the <i>premium</i> course")
    pop.get_by_role("button", name="Save outcome").click()
    expect(pop.get_by_text("Outcome saved")).to_be_visible()
    expect(page.locator('[data-field="my-state"]')).to_have_text("❚❚ Break", timeout=10_000)   # unavailable: no wrap-up left
    assert page.locator("main img, main b, main i").count() == 0

    admin = consoles()
    apage = admin.sign_in(*ADMIN)
    admin.go("/reports")
    expect(admin.stat("dispositions.conversions")).to_have_text("1")
    expect(apage.locator('table[aria-label="Disposition counts"] tr[data-disposition="sale"]')).to_contain_text("1")
    operator_row = apage.locator('table[aria-label="Per-operator performance"] tbody tr').filter(has_text="Manual Operator")
    expect(operator_row.locator('[data-field="conversions"]')).to_have_text("1")

    admin.go(f"/leads/{lead['id']}")
    history = apage.locator('table[aria-label="Call history"] tbody tr')
    expect(history).to_have_count(1)
    expect(history.first).to_contain_text("(manual)")
    expect(history.first.locator('[data-field="disposition"]')).to_have_text("Sale")
    expect(history.first.locator('[data-field="call-notes"]')).to_have_text("Bought the <i>premium</i> course")
    events = apage.locator('ol[aria-label="Lead events"] li')
    expect(events.last).to_contain_text("Administrator")
    expect(events.last).to_contain_text("created")
    expect(apage.locator('ol[aria-label="Lead events"]')).to_contain_text("Claimed")
    # the queue's own verdict on the lead (issue 17's dialability), in words: not pending any more
    expect(apage.locator('[data-field="dialability"]')).to_contain_text("The lead is ")
    admin.screenshot("lead-detail.png", full_page=True)
    assert apage.locator("main img, main b, main i").count() == 0

    for console in (admin, op):   # the lead detail and the screen pop at phone width: no sideways scroll
        console.page.set_viewport_size(PHONE)
        assert console.horizontal_overflow() <= 0
    expect(pop).to_be_visible()


def test_wallboard_lists_every_operator_beyond_one_page(system, consoles):
    token = system.login()
    count = 101   # the users API answers at most 100 a page
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda i: register(system, token, f"Page Operator {i:03d}", f"page-op-{i}@example.com"), range(count)))
    board = consoles()
    board.sign_in(*ADMIN)
    rows = board.page.locator('table[aria-label="Operators"] tbody tr')
    expect(rows).to_have_count(count)
    expect(rows.last).to_contain_text("Page Operator 100")
    expect(board.stat("states.available")).to_have_text(str(count), timeout=10_000)
