"""Calling end to end with the three real binaries and fast simulated calls: 200 leads of mixed
priority and 3 operators drain to final states with urgent leads dialled first and never more
calls than lines; pause stops new calls (in-flight ones finish) and resume continues."""
import pytest

from test_calling_helpers import PRIORITIES, CallingSystem, explain, first_dial_times, wait_calls


@pytest.fixture
def calling():
    system = CallingSystem()
    system.boot()
    yield system
    system.stop_all()


def test_mixed_priorities_drain_in_sla_order(calling):
    leads = calling.add_leads(PRIORITIES)
    assert calling.scalar("SELECT COUNT(*) FROM calls") == 0, "no operator yet, so no call"
    calling.add_operators(3)
    calling.wait_drained()
    calling.assert_consistent()
    assert calling.scalar("SELECT COUNT(*) FROM leads") == len(leads)
    assert calling.scalar("SELECT COUNT(DISTINCT lead_id) FROM calls") == len(leads), "every lead was dialled"
    assert calling.scalar("SELECT COUNT(*) FROM leads WHERE status = 'transferred'") > len(leads) // 2
    first = first_dial_times(calling)
    assert max(first["urgent"]) <= min(first["high"]), "every urgent lead before any high one"
    assert max(first["high"]) <= min(first["medium"]), "every high lead before any medium one"
    assert max(first["medium"]) <= min(first["low"]), "low leads only when nothing else waits"
    peak = calling.scalar("""
        SELECT MAX(n) FROM (SELECT a.id, COUNT(*) AS n FROM calls a JOIN calls b
                            ON b.start_time <= a.start_time AND COALESCE(b.end_time, 9e18) > a.start_time
                            GROUP BY a.id)""")
    assert peak <= 3, f"{peak} calls at once with 3 lines"


def test_pause_stops_new_calls_and_resume_continues(calling):
    calling.add_leads(["medium"] * 40)
    calling.add_operators(3)
    wait_calls(calling, 5)
    calling.control("pause_queue")
    calling.wait_for(lambda: calling.live_calls() == 0, 20, "in-flight calls to finish")
    placed = calling.scalar("SELECT COUNT(*) FROM calls")
    # A new urgent lead would be dialed at once: wait until the queue has counted it and says
    # it is not dialing because of the pause, instead of waiting a while for no call.
    (urgent,) = calling.add_leads(["urgent"], first=900)
    pending = calling.scalar("SELECT COUNT(*) FROM leads WHERE status = 'pending' AND is_active = 1")

    def explained_paused():
        e = explain(calling)
        return e["reason"] == "paused" and e["idle"] and e["lines"]["inUse"] == 0 and e["pending"]["total"] == pending
    calling.wait_for(explained_paused, 20, "the queue to explain the pause with the new lead pending")
    assert calling.scalar("SELECT status FROM leads WHERE id = ?", urgent) == "pending"
    assert calling.scalar("SELECT COUNT(*) FROM calls") == placed, "no call placed while paused"
    assert calling.scalar("SELECT COUNT(*) FROM leads WHERE status = 'pending'") > 0
    status = calling.control("get_queue_status")["status"]
    assert status["paused"] is True and status["activeCalls"] == 0
    calling.control("resume_queue")
    wait_calls(calling, placed + 3, timeout=20)
    calling.wait_drained()
    calling.assert_consistent()
