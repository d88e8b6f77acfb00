"""Every field the gateway answers is in docs/openapi.json (issue 15). schemathesis checks types,
enums and required fields but lets undocumented fields through (the document leaves objects
open); this test drives the three real binaries into the states that add fields — predictive
pacing with abandoned and machine calls, wrap-up, dispositions and call-backs, calling hours,
the do-not-call list — then reads every route a panel reads, as an admin and as an operator,
and validates each answer with all its objects closed (openapi_strict.py)."""
import datetime
import re

import pytest
import requests

from conftest import auth
from openapi_strict import problems
from test_calling_helpers import CallingSystem

ENV = {
    "IBRAT_MAX_CONCURRENT_CALLS": "10",
    "IBRAT_SIM_P_ANSWER": "0.4", "IBRAT_SIM_P_MACHINE": "0.2", "IBRAT_SIM_P_BUSY": "0",
    "IBRAT_SIM_P_NO_ANSWER": "0.4", "IBRAT_SIM_P_FAILED": "0",
    "IBRAT_SIM_RING_SECONDS": "5-20", "IBRAT_SIM_TALK_SECONDS": "100-200",
    "IBRAT_PACING_MIN_OPERATORS": "0", "IBRAT_PACING_MIN_SAMPLES": "1",
    "IBRAT_BACKOFF_ABANDONED": "3600", "IBRAT_BACKOFF_NO_ANSWER": "3600", "IBRAT_BACKOFF_MACHINE": "3600",
    "IBRAT_WRAP_UP_SECONDS": "300",
}


@pytest.fixture(scope="module")
def busy_system():
    s = CallingSystem(ENV)
    s.boot()
    try:
        yield s
    finally:
        s.stop_all()


class Checker:
    def __init__(self, system):
        self.system = system
        self.found = []
        self.checked = 0

    def call(self, token, method, template, path=None, expect=200, **kwargs):
        headers = auth(token) if token else {}
        r = requests.request(method, self.system.url + (path or template), headers=headers, timeout=10, **kwargs)
        assert r.status_code == expect, f"{method} {path or template}: {r.status_code} {r.text[:500]}"
        self.checked += 1
        for problem in problems(method, template, expect, r.json()):
            line = f"{method} {template} {expect}: " + re.sub(r"/[0-9]+(?=/|:)", "/*", problem)
            if line not in self.found:
                self.found.append(line)
        return r.json()


def iso_in(seconds):
    at = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds)
    return at.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def test_every_answered_field_is_documented(busy_system):
    s = busy_system
    check = Checker(s)
    admin = s.token
    check.call(admin, "POST", "/api/admin/system/control", json={"action": "set_pacing", "mode": "predictive",
                                                                  "maxAbandonRate": 0.5})
    check.call(admin, "POST", "/api/admin/system/control", json={"action": "set_calling_hours", "start": "00:00",
                                                                  "end": "24:00", "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]})
    check.call(admin, "POST", "/api/admin/dnc", expect=201, json={"phone": "+998909999999", "reason": "asked"})
    s.add_leads(["medium"] * 120 + ["urgent"] * 5)
    op_id, op_token = s.create_operator(admin, "Fields Operator", "fields@example.com", phone="+998913333333")
    s.wait_for(lambda: s.scalar("SELECT COUNT(*) FROM calls WHERE status = 'abandoned'") > 0, 90, "an abandoned call")
    s.wait_for(lambda: s.scalar("SELECT COUNT(*) FROM calls WHERE status = 'machine'") > 0, 60, "a machine call")
    s.wait_for(lambda: s.scalar("SELECT COUNT(*) FROM calls WHERE operator_id IS NOT NULL") > 0, 60, "a connected call")
    call_id, lead_id = s.rows("SELECT id, lead_id FROM calls WHERE operator_id IS NOT NULL LIMIT 1")[0]
    check.call(op_token, "PUT", "/api/operator/calls/{id}/update", f"/api/operator/calls/{call_id}/update",
               json={"notes": "call me tomorrow", "disposition": "callback", "callbackAt": iso_in(3600)})
    check.call(op_token, "PUT", "/api/operator/calls/{id}/update", f"/api/operator/calls/{call_id}/update",
               json={"disposition": "interested"})
    abandoned = s.scalar("SELECT id FROM calls WHERE status = 'abandoned' LIMIT 1")
    machine = s.scalar("SELECT id FROM calls WHERE status = 'machine' LIMIT 1")

    for token in (admin, op_token):
        check.call(token, "GET", "/api/auth/me")
        check.call(token, "GET", "/api/operator/dashboard")
        check.call(token, "GET", "/api/operator/leads/available")
        check.call(token, "GET", "/api/operator/calls/history")
        check.call(token, "GET", "/api/operator/profile/performance")
        check.call(token, "GET", "/api/operator/callbacks")
        check.call(token, "GET", "/api/dispositions")
        check.call(token, "GET", "/api/calls/{id}", f"/api/calls/{call_id}")
    check.call(admin, "GET", "/api/users")
    check.call(admin, "GET", "/api/users", params={"role": "salesperson"})
    check.call(admin, "GET", "/api/users/{id}", f"/api/users/{op_id}")
    check.call(admin, "GET", "/api/users/available-salespeople")
    check.call(admin, "GET", "/api/users/stats/summary")
    check.call(admin, "GET", "/api/leads")
    check.call(admin, "GET", "/api/leads/{id}", f"/api/leads/{lead_id}")
    check.call(admin, "GET", "/api/leads/stats/summary")
    check.call(admin, "GET", "/api/leads/{id}/history", f"/api/leads/{lead_id}/history")
    check.call(admin, "GET", "/api/admin/queue/explain")
    check.call(admin, "GET", "/api/calls")
    for status in ("abandoned", "machine"):
        listed = check.call(admin, "GET", "/api/calls", params={"status": status})
        assert listed["calls"] and {c["status"] for c in listed["calls"]} == {status}
    check.call(admin, "GET", "/api/calls/{id}", f"/api/calls/{abandoned}")
    check.call(admin, "GET", "/api/calls/{id}", f"/api/calls/{machine}")
    check.call(admin, "GET", "/api/calls/stats/summary")
    check.call(admin, "GET", "/api/admin/dashboard")
    check.call(admin, "GET", "/api/admin/system-status")
    check.call(admin, "GET", "/api/admin/reports/performance")
    check.call(admin, "GET", "/api/admin/dnc")
    check.call(admin, "POST", "/api/admin/system/control", json={"action": "get_queue_status"})
    check.call(admin, "POST", "/api/admin/system/control", json={"action": "set_max_concurrent_calls", "value": 10})
    check.call(admin, "POST", "/api/admin/system/control", json={"action": "pause_queue"})
    check.call(admin, "POST", "/api/admin/system/control", json={"action": "resume_queue"})
    check.call(admin, "POST", "/api/admin/system/control", json={"action": "set_pacing", "maxAbandonRate": "3%"})
    check.call(admin, "POST", "/api/admin/system/control", json={"action": "set_calling_hours", "start": "09:00",
                                                                  "end": "20:00"})
    check.call(admin, "POST", "/api/admin/system/control", expect=400, json={"action": "set_pacing", "mode": "fast"})
    check.call(admin, "POST", "/api/admin/system/control", expect=400,
               json={"action": "set_calling_hours", "start": "10:00", "end": "10:00"})
    check.call(admin, "PUT", "/api/operator/calls/{id}/update", f"/api/operator/calls/{call_id}/update", expect=400,
               json={"disposition": "callback"})
    # The write routes a panel uses, each answer checked the same way.
    check.call(None, "GET", "/health")
    check.call(None, "POST", "/api/auth/login", json={"email": "fields@example.com", "password": "operator-pass-1"})
    check.call(op_token, "POST", "/api/auth/refresh")
    new_user = check.call(admin, "POST", "/api/auth/register", expect=201, json={
        "name": "Second Operator", "email": "second@example.com", "password": "operator-pass-1",
        "phone": "+998913334444", "role": "operator"})["user"]["id"]
    check.call(admin, "PUT", "/api/users/{id}", f"/api/users/{new_user}", json={"name": "Second Operator B"})
    check.call(admin, "PUT", "/api/users/{id}/availability", f"/api/users/{new_user}/availability",
               json={"isAvailable": False})
    check.call(admin, "PUT", "/api/users/{id}/activate", f"/api/users/{new_user}/activate", json={"isActive": False})
    check.call(admin, "DELETE", "/api/users/{id}", f"/api/users/{new_user}")
    check.call(op_token, "PUT", "/api/operator/profile/availability", json={"isAvailable": True})
    created = check.call(admin, "POST", "/api/leads", expect=201,
                         json={"phone": "+998907777777", "name": "Fields lead", "priority": "low"})["lead"]["id"]
    check.call(admin, "PUT", "/api/leads/{id}", f"/api/leads/{created}", json={"notes": "checked"})
    check.call(admin, "POST", "/api/admin/leads/bulk-action",
               json={"action": "update_priority", "leadIds": [created], "data": {"priority": "high"}})
    check.call(admin, "DELETE", "/api/leads/{id}", f"/api/leads/{created}")
    check.call(admin, "DELETE", "/api/admin/dnc/{phone}", "/api/admin/dnc/%2B998909999999")
    assert check.checked >= 40
    assert check.found == [], "answers with fields or values docs/openapi.json does not describe:\n" + "\n".join(check.found)
