"""Issue 12, time zones and calling hours, with the three real binaries: zones derived from the
number (NANP area code, calling code through tzdata) or given explicitly (create, update, bulk,
CSV), invalid names refused; a lead of unknown zone is not dialed and is counted on the
dashboard; a lead outside its window is not dialed and is dialed when a window set relative to
now opens (the scheduler's timer, no admin action); a manual call outside the window is 409 with
the lead's local time; the setting survives a queue-daemon restart."""
import datetime
import time

import pytest
import requests

from conftest import auth
from test_calling_helpers import CallingSystem


@pytest.fixture
def rules():
    system = CallingSystem({"IBRAT_CALLING_HOURS": "00:00-24:00"})
    system.boot()
    yield system
    system.stop_all()


def post(system, path, body, token=None, status=None):
    r = requests.post(system.url + path, headers=auth(token or system.token), json=body, timeout=10)
    if status is not None:
        assert r.status_code == status, r.text
    return r


def lead(system, phone, **fields):
    r = post(system, "/api/leads", dict(fields, phone=phone), status=201)
    return r.json()["lead"]


def get_lead(system, lead_id):
    r = requests.get(system.url + f"/api/leads/{lead_id}", headers=auth(system.token), timeout=10)
    assert r.status_code == 200, r.text
    return r.json()["lead"]


def hhmm(dt):
    return dt.strftime("%H:%M")


def closed_window():
    """A one-hour window that starts two hours from now (UTC): closed now."""
    now = datetime.datetime.now(datetime.timezone.utc)
    return {"start": hhmm(now + datetime.timedelta(hours=2)), "end": hhmm(now + datetime.timedelta(hours=3))}


def test_zones_from_numbers_and_explicit_names(rules):
    ny = lead(rules, "+12125550100")
    assert (ny["timezone"], ny["timezoneSource"], ny["callableReason"]) == ("America/New_York", "number", None)
    uz = lead(rules, "+998901112233")
    assert "Asia/Tashkent" in uz["timezone"].split(",") and uz["timezoneSource"] == "country"
    explicit = lead(rules, "+12125550101", timezone="Asia/Tokyo")
    assert (explicit["timezone"], explicit["timezoneSource"]) == ("Asia/Tokyo", "explicit")
    bad = post(rules, "/api/leads", {"phone": "+12125550102", "timezone": "Mars/Olympus"}, status=400)
    assert "timezone" in bad.json()["message"]
    # Update: set, then back to the number's zone.
    r = requests.put(rules.url + f"/api/leads/{ny['id']}", headers=auth(rules.token), timeout=10,
                     json={"timezone": "Europe/London"})
    assert r.status_code == 200 and r.json()["lead"]["timezoneSource"] == "explicit", r.text
    r = requests.put(rules.url + f"/api/leads/{ny['id']}", headers=auth(rules.token), timeout=10, json={"timezone": ""})
    assert r.json()["lead"]["timezone"] == "America/New_York", r.text
    r = requests.put(rules.url + f"/api/leads/{ny['id']}", headers=auth(rules.token), timeout=10, json={"timezone": "EST"})
    assert r.status_code == 400, r.text
    # Bulk.
    r = post(rules, "/api/admin/leads/bulk-action", {"action": "update_timezone", "leadIds": [uz["id"], explicit["id"]],
                                                      "data": {"timezone": "America/Chicago"}}, status=200)
    assert r.json()["modifiedCount"] == 2
    assert get_lead(rules, uz["id"])["timezone"] == "America/Chicago"
    post(rules, "/api/admin/leads/bulk-action", {"action": "update_timezone", "leadIds": [uz["id"]],
                                                  "data": {"timezone": "Nowhere/Else"}}, status=400)
    # CSV: a timezone column (tz alias), an invalid name is a row error.
    csv = "phone,name,tz\n+12135550100,A,Asia/Tokyo\n+12135550101,B,\n+12135550102,C,Not/AZone\n"
    r = requests.post(rules.url + "/api/leads/upload-csv", headers=auth(rules.token), timeout=30,
                      files={"csvFile": ("leads.csv", csv.encode(), "text/csv")})
    assert r.status_code == 200, r.text
    summary = r.json()["summary"]
    assert summary["successCount"] == 2 and summary["errorCount"] == 1, summary
    zones = dict(rules.rows("SELECT phone, timezone FROM leads WHERE phone LIKE '+1213%'"))
    assert zones == {"+12135550100": "Asia/Tokyo", "+12135550101": "America/Los_Angeles"}


def test_unknown_zone_is_not_dialed_and_counted(rules):
    unknown = lead(rules, "+99912345678")
    assert (unknown["timezone"], unknown["timezoneSource"], unknown["callableReason"]) == (None, None, "unknown_timezone")
    rules.add_operators(1)
    known = lead(rules, "+12125550199")
    rules.wait_for(lambda: rules.scalar("SELECT COUNT(*) FROM calls WHERE lead_id = ?", known["id"]) > 0, 20,
                   "the known lead to be dialed")
    r = requests.get(rules.url + "/api/admin/dashboard", headers=auth(rules.token), timeout=10)
    assert r.json()["dashboard"]["dialingRules"]["unknownTimezoneLeads"] == 1, r.text
    assert rules.control("get_queue_status")["status"]["unknownTimezoneLeads"] == 1
    assert rules.scalar("SELECT COUNT(*) FROM calls WHERE lead_id = ?", unknown["id"]) == 0
    # Naming its zone makes it callable at once.
    r = requests.put(rules.url + f"/api/leads/{unknown['id']}", headers=auth(rules.token), timeout=10,
                     json={"timezone": "UTC"})
    assert r.status_code == 200 and r.json()["lead"]["callableReason"] is None, r.text
    rules.wait_for(lambda: rules.scalar("SELECT COUNT(*) FROM calls WHERE lead_id = ?", unknown["id"]) > 0, 20,
                   "the lead with a zone to be dialed")


def test_lead_outside_its_window_waits_for_the_opening(rules):
    # The window opens at the next whole minute (at least 5 s away) for one hour, UTC.
    now = datetime.datetime.now(datetime.timezone.utc)
    opening = (now + datetime.timedelta(seconds=65)).replace(second=0, microsecond=0)
    if (opening - now).total_seconds() > 60:
        opening -= datetime.timedelta(minutes=1)
    reply = rules.control("set_calling_hours", start=hhmm(opening), end=hhmm(opening + datetime.timedelta(hours=1)))
    assert reply["callingHours"]["start"] == hhmm(opening), reply
    rules.add_operators(1)
    waiting = lead(rules, "+12125550300", timezone="UTC", priority="urgent")
    status = rules.control("get_queue_status")["status"]
    assert status["callingHours"]["start"] == hhmm(opening)
    rules.wait_for(lambda: rules.control("get_queue_status")["status"]["waitingLeads"] == 1, 10, "the lead to wait")
    assert rules.scalar("SELECT COUNT(*) FROM calls") == 0, "dialed outside its window"
    opening_ms = int(opening.timestamp() * 1000)
    rules.wait_for(lambda: rules.scalar("SELECT COUNT(*) FROM calls WHERE lead_id = ?", waiting["id"]) > 0, 90,
                   "the lead to be dialed once its window opened")
    first = rules.scalar("SELECT MIN(start_time) FROM calls WHERE lead_id = ?", waiting["id"])
    assert first >= opening_ms, f"dialed {opening_ms - first} ms before the opening"
    assert first - opening_ms < 10_000, "dialed late: the timer should wake at the opening"
    misses = rules.control("get_queue_status")["status"]["slaMisses"]["total"]
    assert misses == 0, "the SLA clock starts when the lead becomes callable"


def test_manual_call_outside_window_is_409_with_local_time(rules):
    op_id, op_token = rules.create_operator(rules.token, "Manual Op", "manual@example.com", phone="+998977777777")
    rules.control("pause_queue")
    target = lead(rules, "+12125550400", timezone="Asia/Tashkent")
    post(rules, "/api/operator/leads/claim", {"leadId": target["id"]}, token=op_token, status=200)
    rules.control("set_calling_hours", **closed_window())
    r = post(rules, "/api/operator/calls/start", {"leadId": target["id"]}, token=op_token, status=409)
    body = r.json()
    assert body["error"] == "Outside calling hours for this lead", body
    assert "in Asia/Tashkent" in body["message"] and "calling hours are" in body["message"], body
    r = post(rules, "/api/calls/initiate", {"leadId": target["id"], "salespersonId": op_id}, status=409)
    assert r.json()["error"] == "Outside calling hours for this lead", r.text


def test_bad_calling_hours_are_400_and_the_setting_survives_a_restart(rules):
    for bad in ({"start": "9", "end": "20:00"}, {"start": "09:00", "end": "09:00"},
                {"start": "09:00", "end": "20:00", "days": ["someday"]}, {"end": "20:00"}):
        r = post(rules, "/api/admin/system/control", dict(bad, action="set_calling_hours"), status=400)
        assert r.json()["error"], r.text
    rules.control("set_calling_hours", start="08:15", end="17:45", days=["mon", "wed", "fri"])
    rules.restart("queue-daemon")
    rules.wait_daemon("queue-daemon")
    rules.wait_for(lambda: requests.post(rules.url + "/api/admin/system/control", headers=auth(rules.token),
                                         json={"action": "get_queue_status"}, timeout=10).status_code == 200, 20,
                   "the queue-daemon back")
    hours = rules.control("get_queue_status")["status"]["callingHours"]
    assert hours == {"start": "08:15", "end": "17:45", "days": ["mon", "wed", "fri"]}
    r = requests.get(rules.url + "/api/admin/system-status", headers=auth(rules.token), timeout=10)
    assert r.json()["systemStatus"]["callQueue"]["callingHours"] == hours
