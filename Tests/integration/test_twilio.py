"""Real calls through Twilio, end to end with the three real binaries and a fake Twilio on the
loopback (fake_twilio.py): a lead is dialled through the fake, answered, handed to the operator's
phone by the TwiML, completed with Twilio's duration and ends `transferred`; duplicate,
out-of-order, unsigned, wrongly signed and replayed callbacks change nothing; busy and no-answer
schedule retries; a Twilio 4xx fails the call with its code; an outage (503, then refused
connections) fails calls visibly without losing or double-dialling a lead."""
import time

import pytest
import requests

from conftest import auth
from fake_twilio import FROM, FakeTwilio
from test_calling_helpers import CallingSystem, explain, ipc_request

OPERATOR_PHONE = "+998911112233"
LEAD_PHONE = "+998900000000"


def settled_on_retry_wait(system):
    """Waits until the queue is idle with its one pending lead waiting to retry and no line in
    use: the planner has seen the lead and will not dial it before its backoff (instead of
    watching for a while that no call comes)."""
    system.wait_for(lambda: (lambda e: e["idle"] and e["lines"]["inUse"] == 0 and e["pending"]["total"] == 1
                             and e["pending"]["byFirstReason"]["retry_wait"] == 1)(explain(system)),
                    20, "the queue to hold the lead until its retry time")


@pytest.fixture
def twilio_system(request):
    """Builds (system, fake) with extra settings; both are stopped at the end (the state
    directory is removed when the test passed, kept with its logs when it failed)."""
    made = []

    def make(**settings):
        fake = FakeTwilio()
        env = dict(fake.env())
        env.update({"IBRAT_MAX_CONCURRENT_CALLS": "2", "IBRAT_LOG_LEVEL": "debug"})
        env.update(settings)
        system = CallingSystem(env)
        fake.gateway_url = system.url
        made.append((system, fake))
        system.boot()
        return system, fake

    yield make
    passed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.passed
    for system, fake in made:
        system.stop_all()
        fake.stop()
        if passed:
            system.cleanup()


def call_row(system, sid):
    rows = system.rows("SELECT status, duration, answer_time, transfer_time, end_reason, error_code, error_message, "
                       "from_number, to_number, lead_id, id FROM calls WHERE twilio_call_sid = ?", sid)
    return dict(zip(["status", "duration", "answer_time", "transfer_time", "end_reason", "error_code",
                     "error_message", "from", "to", "lead", "id"], rows[0])) if rows else None


def wait_call(system, sid, status, timeout=10):
    system.wait_for(lambda: (call_row(system, sid) or {}).get("status") == status, timeout, f"call {sid} {status}")
    return call_row(system, sid)


def lead(system, lead_id):
    r = requests.get(system.url + f"/api/leads/{lead_id}", headers=auth(system.token), timeout=5)
    assert r.status_code == 200, r.text
    return r.json()["lead"]


def wait_lead(system, lead_id, predicate, what, timeout=10):
    system.wait_for(lambda: predicate(lead(system, lead_id)), timeout, what)
    return lead(system, lead_id)


def test_answered_call_is_transferred_to_the_operators_phone(twilio_system):
    system, fake = twilio_system()
    status = requests.get(system.url + "/api/admin/system-status", headers=auth(system.token), timeout=5).json()
    assert status["systemStatus"]["dialer"]["provider"] == "twilio"
    system.create_operator(system.token, "Olga", "olga@example.com", phone=OPERATOR_PHONE)
    (lead_id,) = system.add_leads(["urgent"])
    (sid,) = fake.wait_calls(1)
    assert fake.calls[sid]["to"] == LEAD_PHONE
    row = wait_call(system, sid, "initiated")
    assert row["from"] == FROM and row["lead"] == lead_id

    for twilio_status in ("initiated", "ringing"):
        r = fake.status(sid, twilio_status)
        assert r.status_code == 200, r.text
        assert r.headers["Content-Type"].startswith("text/xml") and "<Response/>" in r.text
    wait_call(system, sid, "ringing")

    # Forged, unsigned and tampered callbacks: 403, nothing changes.
    assert fake.status(sid, "completed", duration=99, signature_override="GvWf1cFY/Q7PnoempGyD5oXAezc=").status_code == 403
    assert fake.status(sid, "busy", signature_override="").status_code == 403
    assert fake.answer(sid, signature_override="x" * 28).status_code == 403
    assert call_row(system, sid)["status"] == "ringing"

    answer = fake.answer(sid)
    assert answer.status_code == 200, answer.text
    assert answer.headers["Content-Type"].startswith("text/xml")
    assert (f'<Dial callerId="{FROM}" timeout="30"><Number>{OPERATOR_PHONE}</Number></Dial>') in answer.text
    row = wait_call(system, sid, "answered")
    assert row["answer_time"] is not None and row["transfer_time"] is not None
    wait_lead(system, lead_id, lambda l: l["status"] == "transferred", "lead transferred")

    # Twilio's own answered callback, then a late ringing: nothing moves backwards.
    assert fake.status(sid, "in-progress").status_code == 200
    assert fake.status(sid, "ringing").status_code == 200
    assert call_row(system, sid)["status"] == "answered"

    assert fake.status(sid, "completed", duration=37).status_code == 200
    row = wait_call(system, sid, "completed")
    assert row["duration"] == 37 and row["end_reason"] == "provider"
    replay = fake.replay()
    assert replay.status_code == 403, "an exact replay of an applied callback"
    assert fake.status(sid, "ringing").status_code == 200
    assert fake.status(sid, "completed", duration=120).status_code == 200, "a late duplicate is harmless"
    assert call_row(system, sid)["status"] == "completed" and call_row(system, sid)["duration"] == 37

    unknown = fake.post("/api/calls/webhook/status", [("CallSid", "CA" + "f" * 32), ("CallStatus", "ringing")])
    assert unknown.status_code == 404 and unknown.json()["error"] == "Call log not found"

    call = requests.get(system.url + f"/api/calls/{row['id']}", headers=auth(system.token), timeout=5).json()["call"]
    assert call["status"] == "completed" and call["duration"] == 37 and call["twilioCallSid"] == sid
    assert call["transferTime"] is not None
    assert lead(system, lead_id)["status"] == "transferred"
    assert fake.violations == []
    assert len(fake.sids()) == 1


def test_busy_and_no_answer_schedule_retries(twilio_system):
    system, fake = twilio_system(IBRAT_BACKOFF_BUSY="1", IBRAT_BACKOFF_NO_ANSWER="600")
    system.create_operator(system.token, "Olga", "olga@example.com", phone=OPERATOR_PHONE)
    (lead_id,) = system.add_leads(["high"])
    (first,) = fake.wait_calls(1)
    wait_call(system, first, "initiated")
    fake.status(first, "ringing")
    assert fake.status(first, "busy").status_code == 200
    wait_call(system, first, "busy")
    busy_lead = wait_lead(system, lead_id, lambda l: l["callAttempts"] == 1, "one attempt counted")
    assert busy_lead["nextCallTime"] is not None or busy_lead["status"] == "calling"

    second = fake.wait_calls(2)[1]
    wait_call(system, second, "initiated")
    assert fake.status(second, "no-answer").status_code == 200
    wait_call(system, second, "no-answer")
    retry = wait_lead(system, lead_id, lambda l: l["callAttempts"] == 2 and l["status"] == "pending", "retry scheduled")
    next_ms = system.scalar("SELECT next_call_time FROM leads WHERE id = ?", lead_id)
    assert retry["nextCallTime"] is not None and next_ms > time.time() * 1000 + 500_000
    settled_on_retry_wait(system)
    assert len(fake.sids()) == 2, "no third call before the no-answer backoff"
    assert fake.violations == []


def test_invalid_number_fails_the_call_cleanly(twilio_system):
    system, fake = twilio_system(IBRAT_BACKOFF_FAILED="600")
    fake.reject_with(400, 21211, f"The 'To' number {LEAD_PHONE} is not a valid phone number.")
    system.create_operator(system.token, "Olga", "olga@example.com", phone=OPERATOR_PHONE)
    (lead_id,) = system.add_leads(["urgent"])
    system.wait_for(lambda: system.scalar("SELECT COUNT(*) FROM calls WHERE status = 'failed'") == 1, 10, "failed call")
    code, message, sid = system.rows("SELECT error_code, error_message, twilio_call_sid FROM calls")[0]
    assert code == "21211" and "not a valid phone number" in message and sid is None
    failed_lead = wait_lead(system, lead_id, lambda l: l["callAttempts"] == 1 and l["status"] == "pending",
                            "retry scheduled after the failure")
    assert failed_lead["nextCallTime"] is not None
    settled_on_retry_wait(system)
    assert ipc_request(system.socket_path("dialer"), "dialer.status", {})["activeCount"] == 0, \
        "the dialer holds no call it could place again"
    assert len(fake.creates) == 1, "a Twilio error is not retried"
    assert "21211" in system.log_text("dialer-daemon")
    assert fake.violations == []


def test_outage_fails_calls_visibly_without_losing_or_double_dialing(twilio_system):
    system, fake = twilio_system(IBRAT_BACKOFF_FAILED="1", IBRAT_MAX_ATTEMPTS="5")
    fake.outage()
    system.create_operator(system.token, "Olga", "olga@example.com", phone=OPERATOR_PHONE)
    (lead_id,) = system.add_leads(["urgent"])
    system.wait_for(lambda: system.scalar("SELECT COUNT(*) FROM calls WHERE error_code = 'http_503'") >= 1, 10,
                    "a call failed by the 503")
    fake.refuse_connections()
    system.wait_for(lambda: system.scalar("SELECT COUNT(*) FROM calls WHERE error_code = 'twilio_unreachable'") >= 1,
                    30, "a call failed after the connection retries")
    system.control("pause_queue")
    system.wait_for(lambda: system.live_calls() == 0, 20, "no live call")

    calls = system.rows("SELECT status, error_code, error_message, twilio_call_sid FROM calls ORDER BY start_time")
    assert all(status == "failed" and sid is None for status, _, _, sid in calls), calls
    assert all(message for _, _, message, _ in calls), "every failure says why"
    unreachable = [m for _, code, m, _ in calls if code == "twilio_unreachable"][0]
    assert "after 4 attempts" in unreachable
    listed = requests.get(system.url + "/api/calls", headers=auth(system.token), timeout=5).json()["calls"]
    assert {c["status"] for c in listed} == {"failed"} and all(c["errorMessage"] for c in listed)
    final = lead(system, lead_id)
    assert final["status"] in ("pending", "failed") and final["callAttempts"] == len(calls)
    assert system.scalar("SELECT COUNT(*) FROM leads") == 1, "the lead is kept"
    assert "Could not reach Twilio" in system.log_text("dialer-daemon")
    assert len(fake.sids()) == 0, "Twilio never accepted a call, so none can ring twice"
    assert fake.violations == []


def test_dialer_killed_mid_call_asks_twilio_and_keeps_the_conversation(twilio_system):
    """Issue 10: with Twilio the call goes on at Twilio when the dialer dies, so the restarted
    dialer asks Twilio for the real status of every call it had in flight before it ends any: an
    answered call still in progress stays answered (not `failed`), and its real end is recorded."""
    system, fake = twilio_system()
    system.create_operator(system.token, "Olga", "olga@example.com", phone=OPERATOR_PHONE)
    (lead_id,) = system.add_leads(["urgent"])
    (sid,) = fake.wait_calls(1)
    assert fake.answer(sid).status_code == 200
    wait_call(system, sid, "answered")
    wait_lead(system, lead_id, lambda l: l["status"] == "transferred", "lead transferred")
    with fake.lock:
        fake.calls[sid]["status"] = "in-progress"  # what Twilio says of a call being talked on

    system.kill("dialer-daemon")
    system.start("dialer-daemon")
    system.wait_for(lambda: requests.get(system.url + "/api/admin/system-status", headers=auth(system.token),
                                         timeout=5).json()["systemStatus"]["dialer"]["reachable"],
                    what="the restarted dialer")
    row = call_row(system, sid)
    assert row["status"] == "answered" and row["end_reason"] is None, row
    assert lead(system, lead_id)["status"] == "transferred"

    with fake.lock:
        fake.calls[sid]["status"] = "completed"
    assert fake.status(sid, "completed", duration=95).status_code == 200
    row = wait_call(system, sid, "completed")
    assert row["duration"] == 95 and row["end_reason"] == "provider"
    assert lead(system, lead_id)["status"] == "transferred"
    assert fake.violations == []
