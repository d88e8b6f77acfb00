"""Answering-machine detection with Twilio (issue 14), against the fake Twilio: calls are created
with MachineDetection=Enable; AnsweredBy human or unknown goes to the operator; machine and fax end
the call `machine` with a bare <Hangup/>, never reach an operator, count an attempt and back off
IBRAT_BACKOFF_MACHINE."""
import time

import pytest

from test_twilio import OPERATOR_PHONE, call_row, lead, twilio_system, wait_call, wait_lead  # noqa: F401


@pytest.mark.parametrize("answered_by", ["human", "unknown"])
def test_a_person_or_unknown_goes_to_the_operator(twilio_system, answered_by):
    system, fake = twilio_system()
    system.create_operator(system.token, "Olga", "olga@example.com", phone=OPERATOR_PHONE)
    (lead_id,) = system.add_leads(["urgent"])
    (sid,) = fake.wait_calls(1)
    assert fake.creates[0].get("MachineDetection") == ["Enable"]
    answer = fake.answer(sid, answered_by=answered_by)
    assert answer.status_code == 200, answer.text
    assert f"<Number>{OPERATOR_PHONE}</Number>" in answer.text
    wait_call(system, sid, "answered")
    wait_lead(system, lead_id, lambda l: l["status"] == "transferred", "lead transferred")


@pytest.mark.parametrize("answered_by", ["machine_end_beep", "machine_start", "fax"])
def test_a_machine_or_fax_ends_the_call_without_an_operator(twilio_system, answered_by):
    system, fake = twilio_system()
    system.create_operator(system.token, "Olga", "olga@example.com", phone=OPERATOR_PHONE)
    (lead_id,) = system.add_leads(["urgent"])
    (sid,) = fake.wait_calls(1)
    before = time.time()
    answer = fake.answer(sid, answered_by=answered_by)
    assert answer.status_code == 200, answer.text
    assert "<Hangup/>" in answer.text and "<Dial" not in answer.text and "<Say>" not in answer.text
    row = wait_call(system, sid, "machine")
    assert row["end_reason"] == "machine_detected" and row["transfer_time"] is None
    got = wait_lead(system, lead_id, lambda l: l["status"] == "pending", "lead pending")
    assert got["callAttempts"] == 1
    retry = time.mktime(time.strptime(got["nextCallTime"][:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone
    assert retry - before > 3000, "machine back-off of an hour"
    assert fake.status(sid, "completed", duration=12).status_code == 200, "Twilio's own end changes nothing"
    assert call_row(system, sid)["status"] == "machine"
    assert fake.violations == []
