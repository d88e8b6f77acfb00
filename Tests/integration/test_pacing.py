"""Issue 14 with the real binaries: predictive pacing abandons an answered call that finds no
operator (message played, lead retried, no attempt counted), the 30-day abandon figures survive a
queue-daemon restart, set_pacing with a cap below the measured rate falls back to progressive,
and wrap-up ends by the operator's outcome or by its timeout."""
import os
import sys

import pytest
import requests

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "clients"))
from conftest import auth  # noqa: E402
from realtime_kit import Recorder  # noqa: E402
from test_calling_helpers import CallingSystem  # noqa: E402

PREDICTIVE = {
    "IBRAT_MAX_CONCURRENT_CALLS": "10",
    "IBRAT_SIM_P_ANSWER": "0.5", "IBRAT_SIM_P_BUSY": "0", "IBRAT_SIM_P_NO_ANSWER": "0.5", "IBRAT_SIM_P_FAILED": "0",
    "IBRAT_SIM_RING_SECONDS": "5-20", "IBRAT_SIM_TALK_SECONDS": "100-200",
    "IBRAT_PACING_MIN_OPERATORS": "0", "IBRAT_PACING_MIN_SAMPLES": "1",
    "IBRAT_BACKOFF_ABANDONED": "3600", "IBRAT_BACKOFF_NO_ANSWER": "3600", "IBRAT_WRAP_UP_SECONDS": "0",
}


def pacing(system):
    return system.control("get_queue_status")["status"]["pacing"]


@pytest.fixture
def predictive():
    system = CallingSystem(PREDICTIVE)
    system.boot()
    yield system
    system.stop_all()


def test_abandoned_call_plays_the_message_and_retries_the_lead_and_restart_keeps_the_figures(predictive):
    s = predictive
    reply = s.control("set_pacing", mode="predictive", maxAbandonRate=0.5)
    assert reply["pacingMode"] == "predictive" and reply["maxAbandonRate"] == 0.5
    s.add_leads(["medium"] * 150)
    s.add_operators(1)
    s.wait_for(lambda: s.scalar("SELECT COUNT(*) FROM calls WHERE status = 'abandoned'") > 0, 90, "an abandoned call")
    call_id, lead_id, reason, answered = s.rows(
        "SELECT id, lead_id, end_reason, answer_time FROM calls WHERE status = 'abandoned' LIMIT 1")[0]
    assert reason == "abandon_message_played" and answered is not None
    s.wait_for(lambda: s.scalar("SELECT status FROM leads WHERE id = ?", lead_id) == "pending", 10, "lead pending")
    assert s.scalar("SELECT call_attempts FROM leads WHERE id = ?", lead_id) == 0, "an abandon counts no attempt"
    assert s.scalar("SELECT next_call_time FROM leads WHERE id = ?", lead_id) is not None
    assert "abandoned" in s.scalar("SELECT reason FROM lead_events WHERE lead_id = ? ORDER BY id DESC LIMIT 1", lead_id)
    assert s.scalar("SELECT COUNT(*) FROM calls WHERE status = 'abandoned' AND operator_id IS NOT NULL") == 0
    connected = s.rows("SELECT operator_id, lead_id FROM calls WHERE transfer_time IS NOT NULL")
    assert connected and all(op is not None for op, _ in connected), "a connected call records its operator"
    op, lead = connected[0]
    assert s.scalar("SELECT assigned_to FROM leads WHERE id = ?", lead) == op

    s.control("pause_queue")
    s.wait_for(lambda: s.live_calls() == 0, 30, "calls to end")
    before = pacing(s)
    status = requests.get(s.url + "/api/admin/system-status", headers=auth(s.token), timeout=5).json()
    assert status["systemStatus"]["callQueue"]["pacing"]["abandoned30Days"] == before["abandoned30Days"]
    board = requests.get(s.url + "/api/admin/dashboard", headers=auth(s.token), timeout=10).json()["dashboard"]
    assert board["pacing"]["mode"] == "predictive"
    assert board["pacing"]["abandoned30Days"] == before["abandoned30Days"], "dashboard (SQL) and queue agree"
    assert board["pacing"]["answered30Days"] == before["answered30Days"]
    assert before["abandoned30Days"] >= 1 and before["answered30Days"] >= before["abandoned30Days"]
    s.restart("queue-daemon")
    s.wait_daemon("queue-daemon")
    s.wait_for(lambda: requests.post(s.url + "/api/admin/system/control", headers=auth(s.token), timeout=5,
                                     json={"action": "get_queue_status"}).status_code == 200, 20, "queue back")
    after = pacing(s)
    for key in ("answered30Days", "abandoned30Days", "abandonRate30Days", "mode", "maxAbandonRate"):
        assert after[key] == before[key], key
    # GET /metrics (issue 15) reports the same figures as queue status.
    metrics = requests.get(s.url + "/metrics", timeout=5).text
    lines = {line.split(" ")[0]: float(line.split(" ")[1]) for line in metrics.splitlines() if line.startswith("ibrat_")}
    assert lines['ibrat_abandoned_calls{window="30d"}'] == after["abandoned30Days"]
    assert lines['ibrat_answered_calls{window="30d"}'] == after["answered30Days"]
    assert abs(lines['ibrat_abandon_rate{window="30d"}'] - after["abandonRate30Days"]) < 1e-6
    assert lines["ibrat_abandon_rate_cap"] == 0.5 and lines['ibrat_pacing_predictive{setting="configured"}'] == 1


def test_cap_below_the_measured_rate_falls_back_to_progressive(predictive):
    s = predictive
    s.control("set_pacing", mode="predictive", maxAbandonRate=0.5)
    s.add_leads(["medium"] * 150)
    s.add_operators(1)
    s.wait_for(lambda: s.scalar("SELECT COUNT(*) FROM calls WHERE status = 'abandoned'") > 0, 90, "an abandoned call")
    s.control("set_pacing", maxAbandonRate=0.001)
    s.wait_for(lambda: pacing(s)["effectiveMode"] == "progressive", 10, "fallback")
    status = pacing(s)
    assert status["mode"] == "predictive" and status["reason"] == "abandon_cap_reached"
    # Once the calls placed before the change are over, no call may be abandoned any more.
    newest = s.scalar("SELECT MAX(created_at) FROM calls")
    s.wait_for(lambda: s.scalar("SELECT COUNT(*) FROM calls WHERE created_at <= ? AND status IN "
                                "('initiated','ringing','answered')", newest) == 0, 30, "older calls to end")
    abandoned = s.scalar("SELECT COUNT(*) FROM calls WHERE status = 'abandoned'")
    s.wait_for(lambda: s.scalar("SELECT COUNT(*) FROM calls WHERE created_at > ? AND status NOT IN "
                                "('initiated','ringing','answered')", newest) >= 15, 90, "15 more calls")
    assert s.scalar("SELECT COUNT(*) FROM calls WHERE status = 'abandoned'") == abandoned


WRAP = {"IBRAT_SIM_P_ANSWER": "1", "IBRAT_SIM_P_BUSY": "0", "IBRAT_SIM_P_NO_ANSWER": "0", "IBRAT_SIM_P_FAILED": "0",
        "IBRAT_SIM_RING_SECONDS": "1-2", "IBRAT_SIM_TALK_SECONDS": "20-30", "IBRAT_WRAP_UP_SECONDS": "300"}


def operator_state(s, op_id):
    users = requests.get(s.url + "/api/users", headers=auth(s.token), timeout=5,
                         params={"role": "salesperson"}).json()["users"]
    return next(u["operatorState"] for u in users if u["id"] == op_id)


@pytest.mark.parametrize("by_outcome", [True, False])
def test_wrap_up_ends_by_outcome_or_timeout(by_outcome):
    s = CallingSystem(WRAP)
    s.boot()
    try:
        s.add_leads(["medium"] * 3)
        op_id, op_token = s.create_operator(s.token, "Wrap", "wrap@example.com", phone="+998912222222")
        panel = Recorder(s.url, auth={"token": op_token})
        s.wait_for(lambda: s.scalar("SELECT COUNT(*) FROM calls WHERE status = 'completed'") >= 1, 30, "first call")
        call_id, ended = s.rows("SELECT id, end_time FROM calls WHERE status = 'completed' ORDER BY end_time LIMIT 1")[0]
        s.wait_for(lambda: operator_state(s, op_id) == "wrap_up", 5, "wrap-up in the users list")
        assert s.scalar("SELECT COUNT(*) FROM calls") == 1, "no call while in wrap-up"
        if by_outcome:
            r = requests.put(s.url + f"/api/operator/calls/{call_id}/update", headers=auth(op_token), timeout=5,
                             json={"notes": "interested"})
            assert r.status_code == 200, r.text
        s.wait_for(lambda: s.scalar("SELECT COUNT(*) FROM calls") == 2, 10, "second call")
        second = s.scalar("SELECT MIN(start_time) FROM calls WHERE start_time > ?", ended)
        gap = second - ended
        if by_outcome:
            assert gap < 2500, f"the outcome ended wrap-up ({gap} ms after the call)"
        else:
            assert gap >= 2900, f"wrap-up lasted its 3 s ({gap} ms)"
        # The socket may connect after the first call ended: any of the operator's wrap-ups will do.
        calls = {c for (c,) in s.rows("SELECT id FROM calls")}
        wrap = panel.wait_for("operator_state_changed", lambda p: p["state"] == "wrap_up", timeout=5)
        assert wrap["operatorId"] == op_id and wrap["callId"] in calls and wrap["previousState"] == "on_call"
        panel.wait_for("operator_state_changed", lambda p: p["previousState"] == "wrap_up", timeout=5)
        panel.close()
    finally:
        s.stop_all()
