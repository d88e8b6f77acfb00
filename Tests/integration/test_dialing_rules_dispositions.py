"""Issue 12, dispositions and call-backs, with the three real binaries and every call answered:
the configured list; each disposition's effect on the lead (sale/interested/not_interested
recorded, wrong_number fails it, do_not_call lists the number, callback books it); refusals
(unknown name, another operator's call, a call-back without a time or in the past); a call-back
is dialed for its operator when due, waits for that operator while busy, then goes to anyone
(said in the lead's events); a queue-daemon restart keeps a booking; reports count dispositions."""
import datetime

import pytest
import requests

from conftest import auth
from test_calling_helpers import CallingSystem


@pytest.fixture
def answered():
    system = CallingSystem({
        "IBRAT_CALLING_HOURS": "00:00-24:00", "IBRAT_CALLBACK_GRACE": "3",
        "IBRAT_SIM_P_ANSWER": "1", "IBRAT_SIM_P_BUSY": "0", "IBRAT_SIM_P_NO_ANSWER": "0", "IBRAT_SIM_P_FAILED": "0",
        "IBRAT_SIM_RING_SECONDS": "1-2", "IBRAT_SIM_TALK_SECONDS": "1-2",
    })
    system.boot()
    yield system
    system.stop_all()


def iso_in(seconds):
    at = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds)
    return at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


def answered_call(system, phone):
    """A new lead dialed and answered; returns (lead id, call id, operator id) once the call ended."""
    r = requests.post(system.url + "/api/leads", headers=auth(system.token), json={"phone": phone}, timeout=10)
    assert r.status_code == 201, r.text
    lead_id = r.json()["lead"]["id"]
    system.wait_for(lambda: system.scalar("SELECT COUNT(*) FROM calls WHERE lead_id = ? AND status = 'completed'",
                                          lead_id) == 1, 30, "the lead's call to end")
    call_id, operator_id = system.rows("SELECT id, operator_id FROM calls WHERE lead_id = ?", lead_id)[0]
    return lead_id, call_id, operator_id


def dispose(system, token, call_id, status=200, **body):
    r = requests.put(system.url + f"/api/operator/calls/{call_id}/update", headers=auth(token), json=body, timeout=10)
    assert r.status_code == status, r.text
    return r.json()


def lead(system, lead_id):
    return requests.get(system.url + f"/api/leads/{lead_id}", headers=auth(system.token), timeout=10).json()["lead"]


def test_each_disposition_and_its_effect(answered):
    r = requests.get(answered.url + "/api/dispositions", headers=auth(answered.token), timeout=10)
    assert r.json()["dispositions"] == ["interested", "not_interested", "callback", "wrong_number", "do_not_call",
                                        "voicemail", "sale"] and r.json()["conversions"] == ["sale", "interested"]
    op_id, op_token = answered.create_operator(answered.token, "Olga", "olga@example.com", phone="+998977100001")
    other_id, other_token = answered.create_operator(answered.token, "Other", "other@example.com", phone="+998977100002")
    requests.put(answered.url + "/api/operator/profile/availability", headers=auth(other_token),
                 json={"isAvailable": False}, timeout=10)
    tokens = {op_id: op_token, other_id: other_token}

    for i, name in enumerate(["sale", "interested", "not_interested", "voicemail"]):
        lead_id, call_id, who = answered_call(answered, f"+1212555090{i}")
        body = dispose(answered, tokens[who], call_id, disposition=name, notes=f"{name} notes")
        assert body["call"]["notes"] == f"{name} notes"
        after = lead(answered, lead_id)
        assert (after["disposition"], after["status"]) == (name, "transferred"), after
        assert answered.scalar("SELECT disposition FROM calls WHERE id = ?", call_id) == name

    lead_id, call_id, who = answered_call(answered, "+12125550910")
    dispose(answered, tokens[who], call_id, disposition="nonsense", status=400)
    dispose(answered, other_token, call_id, disposition="sale", status=403)
    dispose(answered, tokens[who], call_id, disposition="callback", status=400)
    dispose(answered, tokens[who], call_id, disposition="callback", callbackAt=iso_in(-60), status=400)
    dispose(answered, tokens[who], call_id, disposition="callback", callbackAt=iso_in(40 * 86400), status=400)
    body = dispose(answered, tokens[who], call_id, disposition="wrong_number")
    assert body["lead"]["status"] == "failed", body
    reasons = [r for (r,) in answered.rows("SELECT reason FROM lead_events WHERE lead_id = ?", lead_id)]
    assert any("wrong_number" in r for r in reasons), reasons

    lead_id, call_id, who = answered_call(answered, "+12125550911")
    body = dispose(answered, tokens[who], call_id, disposition="do_not_call")
    assert body["lead"]["doNotCall"] is True
    assert answered.rows("SELECT source, added_by FROM dnc WHERE phone = '+12125550911'") == [("disposition", who)]
    assert answered.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'dnc.added'") == 1

    report = requests.get(answered.url + "/api/admin/reports/performance", headers=auth(answered.token), timeout=10)
    dispositions = report.json()["performance"]["dispositions"]
    assert dispositions["total"]["sale"] == 1 and dispositions["conversions"] == 2, dispositions
    mine = requests.get(answered.url + "/api/operator/profile/performance", headers=auth(op_token), timeout=10)
    assert mine.json()["performance"]["dispositions"]["counts"]["sale"] == 1, mine.text


def test_callback_waits_for_its_operator_then_goes_to_anyone(answered):
    op_id, op_token = answered.create_operator(answered.token, "Booker", "booker@example.com", phone="+998977200001")
    lead_id, call_id, who = answered_call(answered, "+12125550920")
    assert who == op_id
    body = dispose(answered, op_token, call_id, disposition="callback", callbackAt=iso_in(2))
    booked = body["lead"]
    assert booked["status"] == "pending" and booked["callbackMine"] is True and booked["callbackOperator"] == op_id
    listed = requests.get(answered.url + "/api/operator/callbacks", headers=auth(op_token), timeout=10).json()
    assert [c["id"] for c in listed["callbacks"]] == [lead_id]
    # Dialed for the operator who booked it when due.
    answered.wait_for(lambda: answered.scalar("SELECT COUNT(*) FROM calls WHERE lead_id = ?", lead_id) == 2, 30,
                      "the call-back to be dialed")
    assert answered.rows("SELECT operator_id FROM calls WHERE lead_id = ? ORDER BY created_at DESC LIMIT 1",
                         lead_id) == [(op_id,)]

    # Next: the booker is unavailable; the call-back waits the grace (3 s), then anyone takes it.
    answered.wait_for(lambda: answered.scalar("SELECT COUNT(*) FROM calls WHERE lead_id = ? AND status = 'completed'",
                                              lead_id) == 2, 30, "the call-back call to end")
    second = answered.rows("SELECT id FROM calls WHERE lead_id = ? ORDER BY created_at DESC LIMIT 1", lead_id)[0][0]
    dispose(answered, op_token, second, disposition="callback", callbackAt=iso_in(1))
    requests.put(answered.url + "/api/operator/profile/availability", headers=auth(op_token),
                 json={"isAvailable": False}, timeout=10)
    # The restart keeps the booking.
    answered.restart("queue-daemon")
    answered.wait_daemon("queue-daemon")
    other_id, _ = answered.create_operator(answered.token, "Anyone", "anyone@example.com", phone="+998977200002")
    answered.wait_for(lambda: answered.scalar("SELECT COUNT(*) FROM calls WHERE lead_id = ?", lead_id) == 3, 30,
                      "the released call-back to be dialed by anyone")
    last = answered.rows("SELECT operator_id FROM calls WHERE lead_id = ? ORDER BY created_at DESC LIMIT 1", lead_id)
    assert last == [(other_id,)]
    reasons = [r for (r,) in answered.rows("SELECT reason FROM lead_events WHERE lead_id = ?", lead_id)]
    assert any("did not take it in time" in r for r in reasons), reasons


def test_changing_a_callback_to_another_outcome_releases_the_lead(answered):
    op_id, op_token = answered.create_operator(answered.token, "Changer", "changer@example.com", phone="+998977200003")
    lead_id, call_id, who = answered_call(answered, "+12125550930")
    assert who == op_id
    booked = dispose(answered, op_token, call_id, disposition="callback", callbackAt=iso_in(3600))["lead"]
    assert booked["status"] == "pending" and booked["callbackOperator"] == op_id
    changed = dispose(answered, op_token, call_id, disposition="not_interested")["lead"]
    assert changed["status"] == "transferred" and changed["disposition"] == "not_interested", changed
    assert changed["callbackAt"] is None and changed["callbackOperator"] is None and changed["nextCallTime"] is None
    assert changed["assignedTo"] == op_id
    queue = answered.control("get_queue_status")["status"]
    # Before the fix the lead stayed pending, due at the booked time for anyone (`waitingLeads` 1).
    assert queue["waitingLeads"] == 0 and queue["pendingLeads"] == 0, "the lead left the dispatch queue"
    listed = requests.get(answered.url + "/api/operator/callbacks", headers=auth(op_token), timeout=10).json()
    assert listed["callbacks"] == []
    reasons = [r for (r,) in answered.rows("SELECT reason FROM lead_events WHERE lead_id = ?", lead_id)]
    assert any("call-back cancelled" in r for r in reasons), reasons
