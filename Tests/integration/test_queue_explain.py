"""Issue 17, "why is nothing dialing?", with the three real binaries: the system is put in each
state (paused, no operator available, every lead outside its calling window, numbers on the
do-not-call list, the daily cap, every line busy) and `GET /api/admin/queue/explain` must name
it with exact counts, each lead's `dialability` (detail and list) must say the same, and
`get_queue_status` / system status carry the same summary. Also: the `queue_explained` Socket.IO
event when the headline changes, the notice-level log line when the queue goes idle with leads
pending, and 503 while the queue-daemon is down. Every wait polls an observable state."""
import datetime
import os
import sys

import pytest
import requests

from conftest import auth
from test_calling_helpers import CallingSystem

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "clients"))
from realtime_kit import Recorder  # noqa: E402

EXPLAIN = "/api/admin/queue/explain"
COUNTED = ["do_not_call", "callback_reserved", "unknown_timezone", "retry_wait", "outside_calling_hours", "daily_cap"]


def boot(extra=None):
    system = CallingSystem(extra or {})
    system.boot()
    return system


@pytest.fixture
def make():
    systems = []

    def start(extra=None):
        systems.append(boot(extra))
        return systems[-1]
    yield start
    for system in systems:
        system.stop_all()


def explain(system):
    r = requests.get(system.url + EXPLAIN, headers=auth(system.token), timeout=10)
    assert r.status_code == 200, r.text
    return r.json()["explanation"]


def new_lead(system, phone, **fields):
    r = requests.post(system.url + "/api/leads", headers=auth(system.token), json=dict(fields, phone=phone), timeout=10)
    assert r.status_code == 201, r.text
    return r.json()["lead"]["id"]


def lead_dialability(system, lead_id):
    r = requests.get(system.url + f"/api/leads/{lead_id}", headers=auth(system.token), timeout=10)
    assert r.status_code == 200, r.text
    return r.json()["lead"]["dialability"]


def listed_dialability(system):
    r = requests.get(system.url + "/api/leads?limit=100", headers=auth(system.token), timeout=10)
    assert r.status_code == 200, r.text
    return {lead["id"]: lead["dialability"] for lead in r.json()["leads"]}


def codes(dialability):
    return [reason["reason"] for reason in dialability["reasons"]]


def counts(explanation):
    return explanation["pending"]["byFirstReason"]


def only(**expected):
    """`byFirstReason` with these counts and zero elsewhere."""
    return {code: expected.get(code, 0) for code in COUNTED}


def wait_explained(system, predicate, what, timeout=30):
    system.wait_for(lambda: predicate(explain(system)), timeout, what)
    return explain(system)


def pending_in_sql(system):
    return system.scalar("SELECT COUNT(*) FROM leads WHERE status = 'pending' AND is_active = 1")


def test_paused(make):
    system = make()
    system.add_operators(1)
    system.control("pause_queue")
    ids = [new_lead(system, f"+99890100000{i}") for i in range(4)]
    e = wait_explained(system, lambda e: e["pending"]["total"] == 4, "the four leads counted")
    assert e["reason"] == "paused" and e["blockers"] == ["paused"] and e["paused"] is True, e
    assert e["idle"] is True and e["dialing"] is False, e
    assert e["pending"]["ready"] == 4 and counts(e) == only(), e
    assert e["message"].startswith("Nothing can dial: the queue is paused"), e["message"]
    assert e["operators"]["available"] == 1 and e["lines"] == {"inUse": 0, "max": 3, "free": 3}, e
    for lead_id in ids:
        d = lead_dialability(system, lead_id)
        assert d["callable"] is False and codes(d) == ["paused"] and d["firstReason"] == "paused", d
    listed = listed_dialability(system)
    assert all(codes(listed[i]) == ["paused"] for i in ids), listed
    # get_queue_status and the system status carry the same summary.
    status = system.control("get_queue_status")["status"]
    assert status["explanation"]["reason"] == "paused" and status["explanation"]["pending"]["total"] == 4
    r = requests.get(system.url + "/api/admin/system-status", headers=auth(system.token), timeout=10)
    assert r.json()["systemStatus"]["callQueue"]["explanation"]["reason"] == "paused", r.text
    # The queue went idle with leads pending: one notice line says why.
    # (logged once, when the queue first went idle: after the first lead(s) came in while paused)
    system.wait_for(lambda: "queue idle with" in system.log_text("queue-daemon"), 10, "the idle notice")
    lines = [l for l in system.log_text("queue-daemon").splitlines() if "queue idle with" in l]
    assert len(lines) == 1 and lines[0].startswith("<5>"), lines
    assert "Nothing can dial: the queue is paused" in lines[0] and "QUEUE_REASON=paused" in lines[0], lines

    system.control("resume_queue")
    e = wait_explained(system, lambda e: e["reason"] != "paused", "the pause to end")
    system.wait_for(lambda: system.scalar("SELECT COUNT(*) FROM calls") > 0, 30, "dialing after resume")


def test_no_operator_available(make):
    system = make()
    op_id, op_token = system.create_operator(system.token, "Away", "away@example.com", phone="+998977000010")
    r = requests.put(system.url + "/api/operator/profile/availability", headers=auth(op_token), json={"isAvailable": False},
                     timeout=10)
    assert r.status_code == 200, r.text
    ids = [new_lead(system, f"+99890200000{i}") for i in range(3)]
    e = wait_explained(system, lambda e: e["pending"]["total"] == 3, "the three leads counted")
    assert e["reason"] == "waiting_for_operator" and e["blockers"] == ["waiting_for_operator"], e
    assert e["pending"]["ready"] == 3 and counts(e) == only(), e
    assert e["operators"]["available"] == 0 and e["operators"]["unavailable"] == 1, e
    assert "0 operators available" in e["message"], e["message"]
    assert codes(lead_dialability(system, ids[0])) == ["waiting_for_operator"]
    assert system.scalar("SELECT COUNT(*) FROM calls") == 0

    # The operator comes back: the leads are dialed and the reason goes away.
    requests.put(system.url + "/api/operator/profile/availability", headers=auth(op_token), json={"isAvailable": True},
                 timeout=10)
    wait_explained(system, lambda e: e["reason"] != "waiting_for_operator", "the operator to be counted")
    system.wait_for(lambda: system.scalar("SELECT COUNT(*) FROM calls") > 0, 30, "a call")


def test_all_leads_outside_their_calling_window(make):
    system = make()
    system.add_operators(1)
    # The window opens on a day two days from today in Tashkent, so it is closed now for +998 numbers.
    tashkent_today = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=5)).weekday()
    day = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][(tashkent_today + 2) % 7]
    system.control("set_calling_hours", start="09:00", end="17:00", days=[day])
    ids = [new_lead(system, f"+99890300000{i}") for i in range(5)]
    e = wait_explained(system, lambda e: e["pending"]["total"] == 5, "the five leads counted")
    assert e["reason"] == "outside_calling_hours" and e["idle"] is True, e
    assert counts(e) == only(outside_calling_hours=5) and e["pending"]["ready"] == 0, e
    opening = e["nextOpening"]
    assert opening and "Asia/Tashkent" in opening["zones"] and "09:00" in opening["localTime"], e
    assert 24 * 3600 <= opening["inSeconds"] <= 3 * 24 * 3600, opening
    assert e["nextDialableAt"] == opening["at"], e
    assert "5 outside calling hours — next opening" in e["message"], e["message"]
    d = lead_dialability(system, ids[0])
    assert codes(d) == ["outside_calling_hours"] and d["nextCallableAt"] == opening["at"], d
    assert "in Asia/Tashkent" in d["reasons"][0]["localTime"], d
    assert system.scalar("SELECT COUNT(*) FROM calls") == 0


def test_do_not_call_numbers_counted_beside_ready_leads(make):
    system = make()  # no operator at all: the ready leads wait for one
    for i in range(3):
        r = requests.post(system.url + "/api/admin/dnc", headers=auth(system.token),
                          json={"phone": f"+99890400000{i}", "reason": "asked"}, timeout=10)
        assert r.status_code == 201, r.text
    dnc = [new_lead(system, f"+99890400000{i}") for i in range(3)]
    ready = [new_lead(system, f"+99890410000{i}") for i in range(2)]
    e = wait_explained(system, lambda e: e["pending"]["total"] == 5, "the five leads counted")
    assert counts(e) == only(do_not_call=3) and e["pending"]["ready"] == 2, e
    assert e["pending"]["total"] == pending_in_sql(system)
    assert e["reason"] == "waiting_for_operator", e
    assert "3 on the do-not-call list" in e["message"], e["message"]
    listed = listed_dialability(system)
    assert all(codes(listed[i]) == ["do_not_call", "waiting_for_operator"] for i in dnc), listed
    assert all(codes(listed[i]) == ["waiting_for_operator"] for i in ready), listed
    assert listed[dnc[0]]["nextCallableAt"] is None

    # Only listed numbers left: the list is the reason.
    for lead_id in ready:
        requests.delete(system.url + f"/api/leads/{lead_id}", headers=auth(system.token), timeout=10)
    e = wait_explained(system, lambda e: e["pending"]["total"] == 3, "the deleted leads gone")
    assert e["reason"] == "do_not_call" and counts(e) == only(do_not_call=3), e
    assert lead_dialability(system, dnc[0])["firstReason"] == "do_not_call"


def test_daily_cap(make):
    system = make({"IBRAT_MAX_CALLS_PER_NUMBER_PER_DAY": "1", "IBRAT_MAX_ATTEMPTS": "6",
                   "IBRAT_SIM_P_ANSWER": "0", "IBRAT_SIM_P_BUSY": "1", "IBRAT_SIM_P_NO_ANSWER": "0",
                   "IBRAT_SIM_P_FAILED": "0"})
    system.add_operators(1)
    ids = [new_lead(system, f"+99890500000{i}") for i in range(2)]
    e = wait_explained(system, lambda e: counts(e)["daily_cap"] == 2, "both numbers at the cap", timeout=60)
    assert counts(e) == only(daily_cap=2) and e["reason"] == "daily_cap" and e["idle"] is True, e
    assert system.scalar("SELECT COUNT(*) FROM calls") == 2
    first = system.scalar("SELECT MIN(start_time) FROM calls")
    next_at = datetime.datetime.fromisoformat(e["nextDialableAt"].replace("Z", "+00:00")).timestamp() * 1000
    assert abs(next_at - (first + 24 * 3600 * 1000)) < 2000, e
    d = lead_dialability(system, ids[0])
    assert codes(d) == ["daily_cap"] and d["reasons"][0]["until"] == d["nextCallableAt"], d


def test_lines_full(make):
    system = make({"IBRAT_MAX_CONCURRENT_CALLS": "1", "IBRAT_SIM_P_ANSWER": "1", "IBRAT_SIM_P_BUSY": "0",
                   "IBRAT_SIM_P_NO_ANSWER": "0", "IBRAT_SIM_P_FAILED": "0", "IBRAT_SIM_RING_SECONDS": "1-1",
                   "IBRAT_SIM_TALK_SECONDS": "86400-86400"})
    system.add_operators(2)
    ids = [new_lead(system, f"+99890600000{i}") for i in range(3)]
    e = wait_explained(system, lambda e: e["lines"]["inUse"] == 1 and e["pending"]["total"] == 2, "one call live")
    assert e["reason"] == "waiting_for_line" and e["blockers"] == ["waiting_for_line"], e
    assert e["dialing"] is True and e["idle"] is False, e
    assert e["lines"] == {"inUse": 1, "max": 1, "free": 0} and e["pending"]["ready"] == 2, e
    assert counts(e) == only(), e
    assert e["operators"]["on_call"] == 1 and e["operators"]["available"] == 1, e
    listed = listed_dialability(system)
    waiting = [i for i in ids if codes(listed[i]) == ["waiting_for_line"]]
    assert len(waiting) == 2, listed
    in_call = next(i for i in ids if i not in waiting)
    assert codes(listed[in_call]) == ["not_pending"] and listed[in_call]["callable"] is False, listed


def test_queue_explained_event_and_503_without_the_queue(make):
    system = make()
    system.add_operators(1)
    lead_id = new_lead(system, "+998907000001")
    recorder = Recorder(system.url)
    try:
        assert recorder.authenticate(system.token)
        system.control("pause_queue")
        payload = recorder.wait_for("queue_explained", lambda p: p["reason"] == "paused")
        assert payload["paused"] is True and "timestamp" in payload and "message" in payload, payload
        system.control("resume_queue")
        payload = recorder.wait_for("queue_explained", lambda p: p["previousReason"] == "paused")
        assert payload["reason"] != "paused", payload
    finally:
        recorder.close()
    system.kill("queue-daemon")
    r = requests.get(system.url + EXPLAIN, headers=auth(system.token), timeout=10)
    assert r.status_code == 503 and r.json()["message"] == "queue-daemon is not reachable", r.text
    # Lead reads are still served; their dialability is unknown (null).
    r = requests.get(system.url + f"/api/leads/{lead_id}", headers=auth(system.token), timeout=10)
    assert r.status_code == 200 and r.json()["lead"]["dialability"] is None, r.text
    r = requests.get(system.url + "/api/leads", headers=auth(system.token), timeout=10)
    assert r.status_code == 200 and r.json()["leads"][0]["dialability"] is None, r.text
    # Operators may not ask.
    _, op_token = system.create_operator(system.token, "Nosy", "nosy@example.com", phone="+998977000020")
    r = requests.get(system.url + EXPLAIN, headers=auth(op_token), timeout=10)
    assert r.status_code == 403, r.text
