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


PREDICTIVE = {"IBRAT_PACING_MODE": "predictive", "IBRAT_MAX_ABANDON_RATE": "0.5", "IBRAT_PACING_MIN_OPERATORS": "0",
              "IBRAT_PACING_MIN_SAMPLES": "1", "IBRAT_WRAP_UP_SECONDS": "0", "IBRAT_ABANDON_WAIT_MS": "1500",
              "IBRAT_COMPANY_NAME": "Ibrat & Co", "IBRAT_CALLBACK_NUMBER": "+998 71 200 00 00"}


def test_predictive_call_waits_for_an_operator_or_says_the_message(twilio_system):
    """Issue 14 with Twilio: a call placed without an operator holds its answer webhook until the
    queue connects one (TwiML dials that operator) or the abandon wait ends (TwiML says the
    message with the company name and call-back number; the call ends `abandoned`)."""
    system, fake = twilio_system(**PREDICTIVE)
    op_id, op_token = system.create_operator(system.token, "Olga", "olga@example.com", phone=OPERATOR_PHONE)
    system.add_leads(["urgent"] * 6)
    # Warming up (and the cap's "if the next answer were abandoned" rule): progressive calls, each
    # with the operator reserved, until the queue dials one without an operator.
    for n in range(1, 6):
        sid = fake.wait_calls(n)[n - 1]
        wait_call(system, sid, "initiated")
        (operator,) = system.rows("SELECT operator_id FROM calls WHERE twilio_call_sid = ?", sid)[0]
        if operator is None:
            second = sid
            break
        assert f"<Number>{OPERATOR_PHONE}</Number>" in fake.answer(sid, answered_by="human").text
        assert fake.status(sid, "completed", duration=5).status_code == 200
        wait_call(system, sid, "completed")
    else:
        pytest.fail("the queue never dialled predictively")
    calls_before = n
    answer = fake.answer(second, answered_by="human")
    assert f"<Number>{OPERATOR_PHONE}</Number>" in answer.text, answer.text
    row = wait_call(system, second, "answered")
    assert row["transfer_time"] is not None
    # The operator stays busy on the second call; the third answered call finds nobody.
    third = fake.wait_calls(calls_before + 1)[calls_before]
    answer = fake.answer(third, answered_by="human")
    assert "<Say>Hello, this is Ibrat &amp; Co." in answer.text and "+998 71 200 00 00" in answer.text
    assert "<Hangup/>" in answer.text and "<Dial" not in answer.text
    assert fake.status(third, "completed", duration=6).status_code == 200
    row = wait_call(system, third, "abandoned")
    assert row["end_reason"] == "abandoned"
    wait_lead(system, row["lead"], lambda l: l["status"] == "pending" and l["callAttempts"] == 0, "lead retried")
