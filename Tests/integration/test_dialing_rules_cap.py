"""Issue 12, the per-number daily cap, with the three real binaries: with every call busy and
more attempts allowed than the cap, a number gets exactly `IBRAT_MAX_CALLS_PER_NUMBER_PER_DAY`
calls, then its lead waits (`nextCallTime` 24 h after the oldest call, `callableReason:
"daily_cap"`, the hold not counted as an attempt); a manual call is refused 409; a queue-daemon
restart keeps the hold while other numbers are still dialed."""
import datetime

import pytest
import requests

from conftest import auth
from test_calling_helpers import CallingSystem

CAP = 2


@pytest.fixture
def capped():
    system = CallingSystem({
        "IBRAT_CALLING_HOURS": "00:00-24:00", "IBRAT_MAX_CALLS_PER_NUMBER_PER_DAY": str(CAP),
        "IBRAT_MAX_ATTEMPTS": "6", "IBRAT_BACKOFF_BUSY": "1",
        "IBRAT_SIM_P_ANSWER": "0", "IBRAT_SIM_P_BUSY": "1", "IBRAT_SIM_P_NO_ANSWER": "0", "IBRAT_SIM_P_FAILED": "0",
    })
    system.boot()
    yield system
    system.stop_all()


def new_lead(system, phone):
    r = requests.post(system.url + "/api/leads", headers=auth(system.token), json={"phone": phone}, timeout=10)
    assert r.status_code == 201, r.text
    return r.json()["lead"]


def get_lead(system, lead_id):
    return requests.get(system.url + f"/api/leads/{lead_id}", headers=auth(system.token), timeout=10).json()["lead"]


def calls(system, lead_id):
    return system.scalar("SELECT COUNT(*) FROM calls WHERE lead_id = ?", lead_id)


def iso_ms(text):
    return int(datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)


def test_the_cap_holds_the_number_for_24_hours(capped):
    capped.add_operators(1)
    lead = new_lead(capped, "+12125550800")
    capped.wait_for(lambda: get_lead(capped, lead["id"])["callableReason"] == "daily_cap", 60, "the cap to hold the lead")
    held = get_lead(capped, lead["id"])
    assert calls(capped, lead["id"]) == CAP
    assert held["status"] == "pending" and held["callAttempts"] == CAP, held
    first = capped.scalar("SELECT MIN(start_time) FROM calls WHERE lead_id = ?", lead["id"])
    # The queue dates a call when it places it, the dialer when it starts it: a few ms apart.
    assert abs(iso_ms(held["nextCallTime"]) - (first + 24 * 3600 * 1000)) < 1000, held
    reasons = [r for (r,) in capped.rows("SELECT reason FROM lead_events WHERE lead_id = ?", lead["id"])]
    assert any("daily_cap" in r for r in reasons), reasons

    # A manual call is refused.
    _, op_token = capped.create_operator(capped.token, "Manual", "manual-cap@example.com", phone="+998977000003")
    r = requests.post(capped.url + "/api/operator/leads/claim", headers=auth(op_token), json={"leadId": lead["id"]},
                      timeout=10)
    assert r.status_code == 200, r.text
    r = requests.post(capped.url + "/api/operator/calls/start", headers=auth(op_token), json={"leadId": lead["id"]},
                      timeout=10)
    assert r.status_code == 409 and r.json()["error"] == "Daily call limit reached for this number", r.text
    r = requests.post(capped.url + "/api/operator/leads/release", headers=auth(op_token), json={"leadId": lead["id"]},
                      timeout=10)
    assert r.status_code == 200, r.text

    # After a restart the hold stands, while another number is dialed up to its own cap.
    capped.restart("queue-daemon")
    capped.wait_daemon("queue-daemon")
    other = new_lead(capped, "+12125550801")
    capped.wait_for(lambda: get_lead(capped, other["id"])["callableReason"] == "daily_cap", 60, "the other lead's cap")
    assert calls(capped, other["id"]) == CAP
    assert calls(capped, lead["id"]) == CAP, "the held number was called again after the restart"
