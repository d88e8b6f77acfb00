"""GET /api/leads/:id/history (the console's lead detail, issue 13): a lead's calls with their
disposition and notes, and its lead_events with who caused them, for admins and for the operator
the lead is assigned to; hidden (404) from other operators, 400 for a bad id, 401 without a token,
403 for an operator asking for deleted leads."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from helpers import call, create_lead, expect, expect_error, register, set_unavailable  # noqa: E402

# Every simulated call is answered and talks briefly (scale 0.01: about 0.3 s).
ANSWERING = {"IBRAT_SIM_P_ANSWER": "1", "IBRAT_SIM_P_BUSY": "0", "IBRAT_SIM_P_NO_ANSWER": "0", "IBRAT_SIM_P_MACHINE": "0",
             "IBRAT_SIM_P_FAILED": "0", "IBRAT_SIM_RING_SECONDS": "10-10", "IBRAT_SIM_TALK_SECONDS": "30-30"}


def history(system, token, lead_id, status=200, **params):
    return call(system, "GET", f"/api/leads/{lead_id}/history", token, params=params)


@pytest.mark.ibrat_env(ANSWERING)
def test_lead_history_lists_calls_with_dispositions_and_events_for_admin_and_its_operator(system):
    admin = system.login()
    other_id, other = register(system, admin, "Other Operator", "other-hist@example.com")
    set_unavailable(system, other)   # only the first operator is dialed for
    op_id, op = register(system, admin, "History Operator", "hist-op@example.com")
    lead = create_lead(system, admin, "+998901230001", name="History <b>Lead</b>", priority="urgent")

    def completed():
        body = expect(history(system, admin, lead["id"]), 200)["history"]
        return body if any(c["status"] == "completed" for c in body["calls"]) else None
    system.wait_for(completed, 20, "the lead's call completed")
    call_id = completed()["calls"][0]["id"]
    expect(call(system, "PUT", f"/api/operator/calls/{call_id}/update", op,
                json={"disposition": "interested", "notes": "Wants <i>the</i> offer"}), 200)

    h = expect(history(system, op, lead["id"]), 200)["history"]   # the lead's operator sees it
    assert h["leadId"] == lead["id"] and h["callsTotal"] == 1 == len(h["calls"])
    first = h["calls"][0]
    assert first["id"] == call_id and first["status"] == "completed" and first["mode"] == "automatic"
    assert first["disposition"] == "interested" and first["notes"] == "Wants <i>the</i> offer"
    assert first["salesperson"] == {"_id": op_id, "id": op_id, "name": "History Operator"}
    assert h["eventsTotal"] == len(h["events"]) >= 3
    ats = [e["at"] for e in h["events"]]
    assert ats == sorted(ats, reverse=True), "newest first"
    created = h["events"][-1]
    assert created["fromStatus"] is None and created["toStatus"] == "pending" and created["reason"] == "created"
    assert created["actor"]["name"] == "Administrator", created
    assert any(e["actor"] == "system" and e["toStatus"] == "calling" for e in h["events"]), h["events"]
    assert [e["toStatus"] for e in h["events"]].count("transferred") >= 1

    expect_error(history(system, other, lead["id"]), 404, "Lead not found")   # not the lead's operator
    assert other_id != op_id


def test_lead_history_errors(system):
    admin = system.login()
    _, op = register(system, admin, "Quiet Operator", "quiet-hist@example.com")
    set_unavailable(system, op)
    lead = create_lead(system, admin, "+998901230002", name="No Calls Yet")
    fresh = expect(history(system, admin, lead["id"]), 200)["history"]
    assert fresh["calls"] == [] and fresh["callsTotal"] == 0 and fresh["status"] == "pending"
    assert [e["toStatus"] for e in fresh["events"]] == ["pending"]
    assert expect(history(system, op, lead["id"]), 200)["history"]["leadId"] == lead["id"]   # unassigned: visible
    expect_error(history(system, admin, "not-an-id"), 400, "Invalid id")
    expect_error(history(system, admin, "0" * 24), 404, "Lead not found")
    expect_error(history(system, None, lead["id"]), 401)
    expect_error(history(system, op, lead["id"], includeDeleted="true"), 403)
    expect(call(system, "DELETE", f"/api/leads/{lead['id']}", admin), 200)
    expect_error(history(system, admin, lead["id"]), 404, "Lead not found")
    deleted = expect(history(system, admin, lead["id"], includeDeleted="true"), 200)["history"]
    assert deleted["events"][0]["reason"] != "created"   # the deletion is the newest event
