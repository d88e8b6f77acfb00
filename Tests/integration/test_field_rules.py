"""Issue 11, "one rule per field": each field rule lives once in Shared (`FieldRules`) and is
checked by the gateway for its 400 and by the owning daemon as its last check. With the real
binaries, the boundary values go through both paths (HTTP through the gateway, and the same
command straight to the owning daemon over its Unix socket) and both must agree: the limit passes,
one UTF-16 code unit (or one step) more is refused with the same message.

Lengths count UTF-16 code units, as the earlier version (JavaScript `length`) and the web
console's `maxlength` do: 500 emoji are 1000 units."""
import json
import os
import re
import sqlite3
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from helpers import call, create_lead, expect, expect_error, phone, quiet_operators, ready, register  # noqa: E402
from ipc_client import ipc_call  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

ANSWERING = {"IBRAT_SIM_P_ANSWER": "1", "IBRAT_SIM_P_BUSY": "0", "IBRAT_SIM_P_NO_ANSWER": "0", "IBRAT_SIM_P_MACHINE": "0",
             "IBRAT_SIM_P_FAILED": "0", "IBRAT_SIM_RING_SECONDS": "10-10", "IBRAT_SIM_TALK_SECONDS": "30-30"}
NOTES_TOO_LONG = '"notes" must be 0 to 1000 characters long'
LEAD_NOTES_TOO_LONG = '"notes" must be 0 to 500 characters long'
BAD_EMAIL = '"email" must be a valid email address'
BAD_MAX_CALLS = '"value" must be between 1 and 10000'
REASON_TOO_LONG = '"reason" must be 0 to 200 characters long'


def daemon(system, sock, type_, body):
    """One command straight to a daemon (as the gateway would send it); returns the reply frame."""
    return ipc_call(os.path.join(system.dir, "run", sock), [(type_, body)])[1]


def refused(frame, message):
    assert frame["type"] == "error", frame
    assert (frame["body"]["status"], frame["body"]["message"]) == (400, message), frame


def admin_id(system):
    with sqlite3.connect(f"file:{os.path.join(system.dir, 'ibrat.db')}?mode=ro", uri=True) as con:
        return con.execute("SELECT id FROM users WHERE role = 'admin'").fetchone()[0]


@pytest.mark.ibrat_env(ANSWERING)
def test_call_notes_limit_is_1000_utf16_units_in_the_gateway_and_the_dialer(system):
    admin = system.login()
    op_id, op = register(system, admin, "Notes Operator", "notes-op@example.com")
    lead = create_lead(system, admin, phone(11))

    def completed_call():
        calls = expect(call(system, "GET", f"/api/leads/{lead['id']}/history", admin), 200)["history"]["calls"]
        return next((c["id"] for c in calls if c["status"] == "completed"), None)
    system.wait_for(completed_call, 20, "the lead's call completed")
    call_id = completed_call()
    path = f"/api/operator/calls/{call_id}/update"

    for notes in ["😀" * 500, "😀" * 499 + "ab", "n" * 1000]:   # 1000 UTF-16 units each
        body = expect(call(system, "PUT", path, op, json={"notes": notes}), 200)
        assert body["call"]["notes"] == notes
    for notes in ["😀" * 501, "😀" * 500 + "a", "n" * 1001]:     # 1001 or more
        expect_error(call(system, "PUT", path, op, json={"notes": notes}), 400)
        assert call(system, "PUT", path, op, json={"notes": notes}).json()["message"] == NOTES_TOO_LONG

    # The dialer's own last check: the same boundary, the same message, without the gateway.
    base = {"actorId": op_id, "actorRole": "operator", "callId": call_id}
    ok = daemon(system, "dialer.sock", "dialer.update_call", dict(base, notes="é" * 1000))
    assert ok["type"] == "reply" and ok["body"]["call"]["notes"] == "é" * 1000, ok
    refused(daemon(system, "dialer.sock", "dialer.update_call", dict(base, notes="😀" * 501)), NOTES_TOO_LONG)
    refused(daemon(system, "dialer.sock", "dialer.update_call", dict(base, notes="😀" * 500 + "a")), NOTES_TOO_LONG)
    stored = expect(call(system, "GET", f"/api/calls/{call_id}", admin), 200)["call"]
    assert stored["notes"] == "é" * 1000, "no refused write changed the call"


def test_lead_notes_and_email_rules_agree_between_gateway_and_queue(system):
    admin = ready(system)
    quiet_operators(system, admin, 1)
    actor = admin_id(system)
    cases = [  # (field, value at the limit, value over it, message)
        ("notes", "😀" * 250, "😀" * 250 + "x", LEAD_NOTES_TOO_LONG),
        ("email", "Ann.Lee+sales@Example.INFO", "ann@example.c", BAD_EMAIL),
    ]
    for n, (field, good, bad, message) in enumerate(cases):
        lead = expect(call(system, "POST", "/api/leads", admin, json={"phone": phone(100 + n), field: good}), 201)["lead"]
        assert lead[field] == (good.lower() if field == "email" else good)
        expect_error(call(system, "POST", "/api/leads", admin, json={"phone": phone(200 + n), field: bad}), 400)
        assert call(system, "POST", "/api/leads", admin,
                    json={"phone": phone(200 + n), field: bad}).json()["message"] == message
        direct = daemon(system, "queue.sock", "queue.create_lead", {"actorId": actor, "phone": phone(300 + n), field: good})
        assert direct["type"] == "reply", direct
        refused(daemon(system, "queue.sock", "queue.create_lead", {"actorId": actor, "phone": phone(400 + n), field: bad}),
                message)
    total = expect(call(system, "GET", "/api/leads", admin), 200)["pagination"]["total"]
    assert total == 2 * len(cases), "only the leads at the limit were written"


def test_max_concurrent_calls_bounds_agree_between_gateway_and_queue(system):
    admin = ready(system)

    def control(value):
        return call(system, "POST", "/api/admin/system/control", admin,
                    json={"action": "set_max_concurrent_calls", "value": value})
    for value in (1, 10_000):
        assert expect(control(value), 200)["maxConcurrentCalls"] == value
    for value in (0, 10_001):
        expect_error(control(value), 400)
        assert control(value).json()["message"] == BAD_MAX_CALLS
    actor = admin_id(system)
    for value in (0, 10_001):
        refused(daemon(system, "queue.sock", "queue.control",
                       {"action": "set_max_concurrent_calls", "value": value, "actorId": actor}), BAD_MAX_CALLS)
    status = expect(call(system, "POST", "/api/admin/system/control", admin, json={"action": "get_queue_status"}), 200)
    assert status["status"]["maxConcurrentCalls"] == 10_000, "the refused values changed nothing"


def test_do_not_call_reason_limit_agrees_between_gateway_and_queue(system):
    admin = ready(system)
    actor = admin_id(system)
    at_limit, over = "😀" * 100, "😀" * 100 + "x"   # 200 and 201 UTF-16 code units
    entry = expect(call(system, "POST", "/api/admin/dnc", admin, json={"phone": "+12125550701", "reason": at_limit}), 201)
    assert entry["entry"]["reason"] == at_limit
    r = call(system, "POST", "/api/admin/dnc", admin, json={"phone": "+12125550702", "reason": over})
    expect_error(r, 400)
    assert r.json()["message"] == REASON_TOO_LONG
    direct = daemon(system, "queue.sock", "queue.dnc_add", {"actorId": actor, "phone": "+12125550703", "reason": at_limit})
    assert direct["type"] == "reply", direct
    refused(daemon(system, "queue.sock", "queue.dnc_add", {"actorId": actor, "phone": "+12125550704", "reason": over}),
            REASON_TOO_LONG)
    listed = expect(call(system, "GET", "/api/admin/dnc", admin), 200)["numbers"]
    assert sorted(n["phone"] for n in listed) == ["+12125550701", "+12125550703"]


def web_constant(page, name):
    with open(os.path.join(ROOT, "web", "assets", "js", "pages", page), encoding="utf-8") as f:
        return int(re.search(rf"export const {name} = (\d+);", f.read()).group(1))


def openapi_max_length(path, method, field):
    with open(os.path.join(ROOT, "docs", "openapi.json"), encoding="utf-8") as f:
        schema = json.load(f)["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    prop = schema["properties"][field]
    return next(s["maxLength"] for s in prop.get("anyOf", [prop]) if "maxLength" in s)


@pytest.mark.parametrize("page,name,path,method,field,limit", [
    ("lead-form.js", "NAME_MAX", "/api/leads", "post", "name", 100),
    ("lead-form.js", "NOTES_MAX", "/api/leads", "post", "notes", 500),
    ("workspace.js", "NOTES_MAX", "/api/operator/calls/{id}/update", "put", "notes", 1000),
    ("dnc.js", "REASON_MAX", "/api/admin/dnc", "post", "reason", 200),
])
def test_console_maxlength_and_openapi_state_the_servers_limits(page, name, path, method, field, limit):
    """The console's `maxlength` and the OpenAPI document are the copies a client sees; the server's
    limit is `limit` (the tests above send it and one more through the real binaries)."""
    assert web_constant(page, name) == limit, f"web/assets/js/pages/{page} {name}"
    assert openapi_max_length(path, method, field) == limit, f"docs/openapi.json {method.upper()} {path} {field}"
