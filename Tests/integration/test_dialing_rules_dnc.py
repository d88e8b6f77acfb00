"""Issue 12, the do-not-call list, with the three real binaries: admin routes (add, list with
search and pages, remove, CSV upload with the lead upload's summary), audit rows, the lead flag
and its filter, a listed number never dialed (automatic and manual 409) while others are, removal
putting the lead back, lead imports counting listed numbers, and a queue-daemon restart keeping
all of it."""
import pytest
import requests

from conftest import auth
from test_calling_helpers import CallingSystem


@pytest.fixture
def dnc():
    system = CallingSystem({"IBRAT_CALLING_HOURS": "00:00-24:00"})
    system.boot()
    yield system
    system.stop_all()


def req(system, method, path, token=None, status=None, **kwargs):
    r = requests.request(method, system.url + path, headers=auth(token or system.token), timeout=30, **kwargs)
    if status is not None:
        assert r.status_code == status, r.text
    return r


def new_lead(system, phone, **fields):
    return req(system, "POST", "/api/leads", json=dict(fields, phone=phone), status=201).json()["lead"]


def calls_to(system, lead_id):
    return system.scalar("SELECT COUNT(*) FROM calls WHERE lead_id = ?", lead_id)


def test_admin_routes_flags_filter_and_audit(dnc):
    listed = new_lead(dnc, "+12125550600")
    r = req(dnc, "POST", "/api/admin/dnc", json={"phone": "+12125550600", "reason": "asked on the phone"}, status=201)
    body = r.json()
    assert body["entry"]["phone"] == "+12125550600" and body["entry"]["source"] == "manual", body
    assert body["lead"]["doNotCall"] is True and body["lead"]["callableReason"] == "do_not_call", body
    req(dnc, "POST", "/api/admin/dnc", json={"phone": "+12125550600"}, status=409)
    req(dnc, "POST", "/api/admin/dnc", json={"phone": "not a number"}, status=400)
    req(dnc, "POST", "/api/admin/dnc", json={"phone": "+12125550601", "reason": "x" * 201}, status=400)
    req(dnc, "POST", "/api/admin/dnc", json={"phone": "+12125550602"}, status=201)
    page = req(dnc, "GET", "/api/admin/dnc?limit=1", status=200).json()
    assert page["pagination"]["total"] == 2 and len(page["numbers"]) == 1, page
    found = req(dnc, "GET", "/api/admin/dnc?search=asked", status=200).json()["numbers"]
    assert [n["phone"] for n in found] == ["+12125550600"]
    flagged = req(dnc, "GET", "/api/leads?doNotCall=true", status=200).json()["leads"]
    assert [lead["id"] for lead in flagged] == [listed["id"]]
    req(dnc, "GET", "/api/leads?doNotCall=maybe", status=400)
    _, op_token = dnc.create_operator(dnc.token, "Op", "op-dnc@example.com", phone="+998977000001")
    req(dnc, "GET", "/api/admin/dnc", token=op_token, status=403)
    req(dnc, "PUT", "/api/operator/profile/availability", token=op_token, json={"isAvailable": False}, status=200)
    # A listed number is not offered to operators (a call to it would be refused).
    available = req(dnc, "GET", "/api/operator/leads/available?limit=100", token=op_token, status=200).json()["leads"]
    assert listed["id"] not in [lead["id"] for lead in available]
    r = req(dnc, "DELETE", "/api/admin/dnc/%2B12125550600", status=200)
    assert r.json()["lead"]["doNotCall"] is False, r.text
    available = req(dnc, "GET", "/api/operator/leads/available?limit=100", token=op_token, status=200).json()["leads"]
    assert listed["id"] in [lead["id"] for lead in available], "offered again once removed from the list"
    req(dnc, "DELETE", "/api/admin/dnc/+12125550600", status=404)
    actions = [a for (a,) in dnc.rows("SELECT action FROM audit_log WHERE action LIKE 'dnc.%' ORDER BY id")]
    assert actions == ["dnc.added", "dnc.added", "dnc.removed"], actions
    events = [r for (r,) in dnc.rows("SELECT reason FROM lead_events WHERE lead_id = ? ORDER BY id", listed["id"])]
    assert any("added to the do-not-call list" in e for e in events) and any("removed" in e for e in events), events


def test_listed_numbers_are_never_dialed_and_come_back_when_removed(dnc):
    dnc.control("pause_queue")
    listed = new_lead(dnc, "+12125550700", priority="urgent")
    others = [new_lead(dnc, f"+1212555071{i}", priority="low") for i in range(3)]
    req(dnc, "POST", "/api/admin/dnc", json={"phone": listed["phone"]}, status=201)
    dnc.add_operators(1)
    dnc.control("resume_queue")
    dnc.wait_for(lambda: all(calls_to(dnc, o["id"]) > 0 for o in others), 60, "the other leads to be dialed")
    assert calls_to(dnc, listed["id"]) == 0, "an urgent lead on the do-not-call list was dialed"
    # A manual call is refused too.
    op_id, op_token = dnc.create_operator(dnc.token, "Manual", "manual-dnc@example.com", phone="+998977000002")
    req(dnc, "POST", "/api/operator/leads/claim", token=op_token, json={"leadId": listed["id"]}, status=200)
    r = req(dnc, "POST", "/api/operator/calls/start", token=op_token, json={"leadId": listed["id"]}, status=409)
    assert r.json()["error"] == "This number is on the do-not-call list", r.text
    req(dnc, "POST", "/api/operator/leads/release", token=op_token, json={"leadId": listed["id"]}, status=200)
    # The restart keeps the flag: still not dialed.
    dnc.restart("queue-daemon")
    dnc.wait_daemon("queue-daemon")
    dnc.wait_for(lambda: requests.get(dnc.url + "/api/admin/system-status", headers=auth(dnc.token), timeout=10)
                 .json()["systemStatus"]["queueDaemon"]["reachable"], 20, "the queue-daemon back")
    extra = new_lead(dnc, "+12125550799", priority="low")
    dnc.wait_for(lambda: calls_to(dnc, extra["id"]) > 0, 60, "a new lead to be dialed after the restart")
    assert calls_to(dnc, listed["id"]) == 0
    # Removal hands it back to dispatch.
    req(dnc, "DELETE", "/api/admin/dnc/" + listed["phone"], status=200)
    dnc.wait_for(lambda: calls_to(dnc, listed["id"]) > 0, 60, "the unlisted lead to be dialed")


def test_adding_during_a_run_takes_the_pending_lead_out_at_once(dnc):
    dnc.control("set_max_concurrent_calls", value=1)
    leads = [new_lead(dnc, f"+1213555{i:04d}", priority="low") for i in range(30)]
    dnc.add_operators(1)
    dnc.wait_for(lambda: dnc.scalar("SELECT COUNT(*) FROM calls") >= 1, 30, "the run to start")
    pending = dnc.rows("SELECT id, phone FROM leads WHERE status = 'pending' AND call_attempts = 0 "
                       "AND id NOT IN (SELECT lead_id FROM calls) ORDER BY created_at DESC LIMIT 1")
    assert pending, "a lead still waiting"
    lead_id, phone = pending[0]
    req(dnc, "POST", "/api/admin/dnc", json={"phone": phone}, status=201)
    dnc.wait_for(lambda: dnc.scalar("SELECT COUNT(DISTINCT lead_id) FROM calls") >= len(leads) - 1, 120,
                 "every other lead to be dialed")
    assert calls_to(dnc, lead_id) == 0


def test_csv_uploads(dnc):
    req(dnc, "POST", "/api/admin/dnc", json={"phone": "+12145550001"}, status=201)
    csv = ("phone,reason\n+12145550001,again\n+12145550002,lawyer\n+12145550002,dup\n"
           "not-a-phone,x\n+12145550003,\n")
    r = req(dnc, "POST", "/api/admin/dnc/upload-csv", status=200,
            files={"csvFile": ("dnc.csv", csv.encode(), "text/csv")})
    summary = r.json()["summary"]
    assert summary == {"totalProcessed": 5, "successCount": 2, "duplicateCount": 2, "errorCount": 1,
                       "leadsFlagged": 0}, summary
    assert len(r.json()["errors"]) == 1
    sources = dict(dnc.rows("SELECT phone, source FROM dnc"))
    assert sources == {"+12145550001": "manual", "+12145550002": "import", "+12145550003": "import"}
    req(dnc, "POST", "/api/admin/dnc/upload-csv", status=400, files={"other": ("x.csv", b"phone\n", "text/csv")})
    req(dnc, "POST", "/api/admin/dnc/upload-csv", status=400,
        files={"csvFile": ("dnc.csv", b"name\nx\n", "text/csv")})
    # A lead import counts the listed numbers and stores those leads flagged.
    leads_csv = "phone,name\n+12145550002,Listed\n+12145550009,Free\n"
    r = req(dnc, "POST", "/api/leads/upload-csv", status=200,
            files={"csvFile": ("leads.csv", leads_csv.encode(), "text/csv")})
    assert r.json()["summary"]["doNotCallCount"] == 1, r.text
    assert dict(dnc.rows("SELECT phone, do_not_call FROM leads")) == {"+12145550002": 1, "+12145550009": 0}
    created = new_lead(dnc, "+12145550003")
    assert created["doNotCall"] is True


def test_export_downloads_the_list_as_csv_that_imports_again(dnc):
    import csv as csvmod
    import io
    hostile = '=HYPERLINK("http://x","click"), said "stop"'
    req(dnc, "POST", "/api/admin/dnc", json={"phone": "+12165550001", "reason": hostile}, status=201)
    req(dnc, "POST", "/api/admin/dnc", json={"phone": "+12165550002", "reason": "lawyer, on file"}, status=201)
    req(dnc, "POST", "/api/admin/dnc/upload-csv", status=200,
        files={"csvFile": ("dnc.csv", b"phone,reason\n+12165550003,\n", "text/csv")})
    r = req(dnc, "GET", "/api/admin/dnc/export", status=200)
    assert r.headers["Content-Type"].startswith("text/csv"), r.headers
    assert 'attachment; filename="do-not-call.csv"' == r.headers["Content-Disposition"]
    assert r.content.endswith(b"\r\n")
    rows = list(csvmod.reader(io.StringIO(r.content.decode(), newline="")))
    assert rows[0] == ["phone", "reason", "source", "addedBy", "createdAt"]
    by_phone = {row[0]: row for row in rows[1:]}
    assert set(by_phone) == {"+12165550001", "+12165550002", "+12165550003"}, rows   # E.164 kept as is
    assert by_phone["+12165550001"][1] == "'" + hostile, "a formula is shown as text, quotes and comma survive"
    assert by_phone["+12165550002"][1] == "lawyer, on file"
    assert by_phone["+12165550003"][2] == "import" and by_phone["+12165550001"][2] == "manual"
    assert by_phone["+12165550001"][4].endswith("Z") and by_phone["+12165550003"][3] == by_phone["+12165550001"][3]
    assert [row[0] for row in rows[1:]] == [n["phone"] for n in
                                            req(dnc, "GET", "/api/admin/dnc?limit=100", status=200).json()["numbers"]]
    only = list(csvmod.reader(io.StringIO(req(dnc, "GET", "/api/admin/dnc/export?search=lawyer", status=200).text, newline="")))
    assert [row[0] for row in only[1:]] == ["+12165550002"]
    req(dnc, "GET", "/api/admin/dnc/export?search=" + "x" * 300, status=400)
    _, op_token = dnc.create_operator(dnc.token, "Op", "op-export@example.com", phone="+998977000002")
    req(dnc, "GET", "/api/admin/dnc/export", token=op_token, status=403)
    # The file goes back in as it came out: take every number off, import the download, same list.
    for phone in by_phone:
        req(dnc, "DELETE", "/api/admin/dnc/" + phone.replace("+", "%2B"), status=200)
    r = req(dnc, "POST", "/api/admin/dnc/upload-csv", status=200,
            files={"csvFile": ("do-not-call.csv", r.content, "text/csv")})
    assert r.json()["summary"]["successCount"] == 3, r.text
    assert set(phone for (phone,) in dnc.rows("SELECT phone FROM dnc")) == set(by_phone)
