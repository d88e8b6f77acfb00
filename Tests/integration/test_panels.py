"""Issue 10, panels written against the earlier version: `limit` above 100 is clamped on every
paginated route, the operator role is `salesperson` on the wire (tokens too), `operatorRank` is a
number or null, and the API's own example call update works after a simulated call ended."""
import base64
import json

import pytest

from helpers import call, expect, expect_error, ready, register

PAGINATED = ["/api/leads", "/api/operator/leads/available", "/api/users", "/api/calls",
             "/api/operator/calls/history"]


def _payload(token):
    part = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


@pytest.mark.parametrize("path", PAGINATED)
def test_limit_over_100_is_clamped(system, path):
    admin = ready(system)
    for limit in (101, 1000, "99999999999999999999"):
        body = expect(call(system, "GET", path, admin, params={"limit": limit}), 200)
        assert body["pagination"]["limit"] == 100, body["pagination"]
    expect_error(call(system, "GET", path, admin, params={"limit": 0}), 400, mentions="limit")


def test_operator_role_is_salesperson_on_the_wire(system):
    admin = ready(system)
    uid, token = register(system, admin, "Sales One", "sales1@example.com", role="operator")
    assert _payload(token)["role"] == "salesperson"
    login = expect(call(system, "POST", "/api/auth/login",
                        json={"email": "sales1@example.com", "password": "operator-pass-1"}), 200)
    assert login["user"]["role"] == "salesperson" and _payload(login["token"])["role"] == "salesperson"
    assert expect(call(system, "GET", "/api/auth/me", token), 200)["user"]["role"] == "salesperson"
    listed = expect(call(system, "GET", "/api/users", admin, params={"role": "salesperson"}), 200)["users"]
    assert [u["id"] for u in listed] == [uid] and listed[0]["role"] == "salesperson"
    # `operator` stays accepted as an input alias, in filters and in bodies.
    assert [u["id"] for u in expect(call(system, "GET", "/api/users", admin, params={"role": "operator"}), 200)["users"]] == [uid]
    uid2, _ = register(system, admin, "Sales Two", "sales2@example.com", role="salesperson")
    one = expect(call(system, "GET", f"/api/users/{uid2}", admin), 200)
    assert one["user"]["role"] == "salesperson"
    assert expect(call(system, "GET", f"/api/users/{uid}", admin), 200)["user"]["role"] == "salesperson"


ANSWERING = {"IBRAT_SIM_P_ANSWER": "1", "IBRAT_SIM_P_BUSY": "0", "IBRAT_SIM_P_NO_ANSWER": "0",
             "IBRAT_SIM_P_FAILED": "0", "IBRAT_SIM_RING_SECONDS": "1-1", "IBRAT_SIM_TALK_SECONDS": "5-5"}


@pytest.mark.ibrat_env(ANSWERING)
def test_manual_call_rests_answered_and_the_documented_update_works_after_it_ended(system):
    admin = ready(system)
    op_id, op = register(system, admin, "Manual Caller", "manual@example.com")
    expect(call(system, "PUT", "/api/operator/profile/availability", op, json={"isAvailable": False}), 200)
    lead = expect(call(system, "POST", "/api/leads", admin, json={"phone": "+998901112233", "name": "Manual Lead"}), 201)["lead"]
    expect(call(system, "POST", "/api/operator/leads/claim", op, json={"leadId": lead["id"]}), 200)
    started = expect(call(system, "POST", "/api/operator/calls/start", op, json={"leadId": lead["id"]}), 200)
    call_id = started["call"]["id"]

    def ended():
        return expect(call(system, "GET", f"/api/calls/{call_id}", admin), 200)["call"]["status"] == "completed"
    system.wait_for(ended, timeout=20, what="the simulated call to end by itself")
    # The operator called the lead themselves: it rests in `answered`, it was not handed over.
    lead_now = expect(call(system, "GET", f"/api/leads/{lead['id']}", admin), 200)["lead"]
    assert lead_now["status"] == "answered", lead_now["status"]
    stats = expect(call(system, "GET", "/api/admin/dashboard", admin), 200)["dashboard"]["leadStats"]
    assert stats["answeredLeads"] == 1 and stats["transferredLeads"] == 0, stats

    # The API document's own example, sent after the call ended by itself: idempotent, applied.
    example = {"status": "completed", "notes": "Customer interested in premium package", "duration": 120}
    updated = expect(call(system, "PUT", f"/api/operator/calls/{call_id}/update", op, json=example), 200)
    assert (updated["call"]["status"], updated["call"]["duration"], updated["call"]["notes"]) == \
        ("completed", 120, example["notes"])
    again = expect(call(system, "PUT", f"/api/operator/calls/{call_id}/update", op, json=example), 200)
    assert again["call"]["duration"] == 120
    # Only a different status on an ended call is a conflict.
    expect_error(call(system, "PUT", f"/api/operator/calls/{call_id}/update", op, json={"status": "busy"}), 409)
    assert expect(call(system, "GET", f"/api/leads/{lead['id']}", admin), 200)["lead"]["status"] == "answered"
    # The operator's disposition decides the resting lead: a wrong number closes it.
    expect(call(system, "PUT", f"/api/operator/calls/{call_id}/update", op, json={"disposition": "wrong_number"}), 200)
    closed = expect(call(system, "GET", f"/api/leads/{lead['id']}", admin), 200)["lead"]
    assert closed["status"] == "failed", closed["status"]
