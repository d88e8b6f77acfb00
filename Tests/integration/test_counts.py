"""Issue 16: the counters the owners keep in the same transaction as each change (`lead_counts`
by the queue-daemon, the four kinds of `call_counts` rows by the dialer-daemon) equal a full recount of `leads`
and `calls`, with the three real binaries:
- through a seeded random workload over HTTP (lead creates, edits, deletes, CSV imports with
  duplicates, bulk status/priority/time-zone changes and deletes, claims, automatic calls with
  retries, dispositions), compared many times while calls go on, each comparison inside one read
  transaction of the SQLite file (one consistent snapshot, no need to stop anything);
- the same with `kill -9` of the dialer-daemon and then of the queue-daemon in the middle of it,
  both restarted, the workload resumed;
- and at rest, the dashboards and summaries equal the recount (the routes read the counters)."""
import random
import signal
import time

import pytest
import requests

from conftest import auth
from test_calling_helpers import CallingSystem

# An independent oracle: each counter table as a GROUP BY over the rows would compute it.
RECOUNTS = {
    "lead_counts": ("SELECT status, priority_rank, timezone_source IS 'unknown', count(*) FROM leads "
                    "WHERE is_active = 1 GROUP BY 1, 2, 3",
                    "SELECT status, priority_rank, unknown_zone, n FROM lead_counts WHERE n <> 0"),
    "call_counts operator": ("SELECT coalesce(operator_id, ''), count(*), count(answer_time), sum(status = 'completed'), "
                             "sum(duration) FROM calls GROUP BY 1",
                             "SELECT operator_id, calls, answered, completed, duration FROM call_counts "
                             "WHERE kind = 'operator' AND (calls <> 0 OR answered <> 0 OR completed <> 0 OR duration <> 0)"),
    "call_counts day": ("SELECT created_at / 86400000, coalesce(operator_id, ''), count(*), count(answer_time), "
                        "sum(status = 'completed'), sum(duration) FROM calls GROUP BY 1, 2",
                        "SELECT day, operator_id, calls, answered, completed, duration FROM call_counts "
                        "WHERE kind = 'day' AND (calls <> 0 OR answered <> 0 OR completed <> 0 OR duration <> 0)"),
    "call_counts answer": ("SELECT answer_time / 86400000, count(*), sum(status = 'abandoned') FROM calls "
                           "WHERE answer_time IS NOT NULL AND mode = 'automatic' AND status <> 'machine' GROUP BY 1",
                           "SELECT day, answered, abandoned FROM call_counts "
                           "WHERE kind = 'answer' AND (answered <> 0 OR abandoned <> 0)"),
    "call_counts disposition": ("SELECT created_at / 86400000, coalesce(operator_id, ''), disposition, count(*) FROM calls "
                                "WHERE disposition IS NOT NULL GROUP BY 1, 2, 3",
                                "SELECT day, operator_id, disposition, calls FROM call_counts "
                                "WHERE kind = 'disposition' AND calls <> 0"),
}
LIVE = ("initiated", "ringing", "answered")


def compare_counters(system):
    """Every counter table against its recount, read in one transaction (one snapshot). Returns
    how many leads and calls were compared."""
    con = system.db()
    try:
        con.execute("BEGIN")
        for table, (recount, stored) in RECOUNTS.items():
            want = sorted(tuple(r) for r in con.execute(recount))
            have = sorted(tuple(r) for r in con.execute(stored))
            assert have == want, f"{table} differs from a recount:\n stored  {have}\n recount {want}"
        sizes = con.execute("SELECT (SELECT count(*) FROM leads), (SELECT count(*) FROM calls)").fetchone()
        con.execute("COMMIT")
        return sizes
    finally:
        con.close()


class Workload:
    """A seeded random mix of lead and call changes over HTTP. Answers other than success are
    tolerated (a lead changed by the dialer meanwhile, a daemon being restarted): the point is the
    writes that do happen."""

    def __init__(self, system, operators, seed):
        self.s = system
        self.rng = random.Random(seed)
        self.ops = operators  # [(id, token)]
        self.serial = 0
        self.leads = []

    def req(self, method, path, token=None, **kw):
        try:
            return requests.request(method, self.s.url + path, headers=auth(token or self.s.token), timeout=10, **kw)
        except requests.RequestException:
            return None

    def phone(self):
        self.serial += 1
        if self.rng.random() < 0.15:  # +999: no country, so the lead's time zone is unknown
            return f"+99912{self.rng.randrange(10**5):05d}{self.serial % 10}"
        return f"+99893{self.rng.randrange(10**6):06d}{self.serial % 10}"

    def step(self):
        rng = self.rng
        choice = rng.randrange(10)
        pick = (lambda k: rng.sample(self.leads, min(k, len(self.leads)))) if self.leads else (lambda k: [])
        if choice <= 2 or not self.leads:
            r = self.req("POST", "/api/leads", json={"phone": self.phone(), "name": "W",
                                                     "priority": rng.choice(["urgent", "high", "medium", "low"])})
            if r is not None and r.status_code == 201:
                self.leads.append(r.json()["lead"]["id"])
        elif choice == 3:
            rows = ["name,phone,priority"] + [f"Csv {i},{self.phone()},{rng.choice(['high', 'low', 'medium'])}"
                                              for i in range(rng.randrange(3, 12))]
            rows.append(rows[1])  # a duplicate inside the file
            self.req("POST", "/api/leads/upload-csv", files={"csvFile": ("w.csv", "\n".join(rows).encode(), "text/csv")})
        elif choice == 4:
            for lead in pick(1):
                self.req("PUT", f"/api/leads/{lead}", json={"priority": rng.choice(["urgent", "low", "high"])})
        elif choice == 5:
            action = rng.choice([("update_status", {"status": rng.choice(["pending", "failed"])}),
                                 ("update_priority", {"priority": rng.choice(["urgent", "medium"])}),
                                 ("update_timezone", {"timezone": rng.choice(["Asia/Tashkent", "Europe/Berlin", ""])})])
            self.req("POST", "/api/admin/leads/bulk-action", json={"action": action[0], "leadIds": pick(4),
                                                                    "data": action[1]})
        elif choice == 6:
            for lead in pick(1):
                self.req("DELETE", f"/api/leads/{lead}")
        elif choice == 7:
            op_id, token = rng.choice(self.ops)
            self.req("POST", "/api/operator/leads/claim", token, json={"leadId": rng.choice(self.leads)})
        else:
            self.dispose()

    def dispose(self):
        """A disposition on an ended answered call of one of our operators."""
        rows = self.s.rows("SELECT id, operator_id FROM calls WHERE status = 'completed' AND operator_id IS NOT NULL "
                           "ORDER BY random() LIMIT 1")
        tokens = dict(self.ops)
        for call_id, operator_id in rows:
            if operator_id in tokens:
                self.req("PUT", f"/api/operator/calls/{call_id}/update", tokens[operator_id],
                         json={"disposition": self.rng.choice(["interested", "not_interested", "sale", "voicemail"])})

    def run(self, seconds, compare_every=15):
        deadline = time.monotonic() + seconds
        steps = 0
        while time.monotonic() < deadline:
            self.step()
            steps += 1
            if steps % compare_every == 0:
                compare_counters(self.s)
        return steps


@pytest.fixture
def counting():
    system = CallingSystem({"IBRAT_MAX_CONCURRENT_CALLS": "4", "IBRAT_MAX_ATTEMPTS": "3",
                            "IBRAT_SIM_P_ANSWER": "0.5", "IBRAT_SIM_P_BUSY": "0.2", "IBRAT_SIM_P_NO_ANSWER": "0.2",
                            "IBRAT_SIM_P_FAILED": "0.1"})
    system.boot()
    yield system
    system.stop_all()


def operators(system, n=3):
    return [system.create_operator(system.token, f"Counter Op {i}", f"count{i}@example.com", phone=f"+99894{i:07d}")
            for i in range(n)]


def wait_quiet(system):
    """Pauses dispatch and waits until no call is live."""
    system.control("pause_queue")
    system.wait_for(lambda: system.scalar(f"SELECT count(*) FROM calls WHERE status IN {LIVE}") == 0, 60,
                    "no live call")


def assert_routes_match_the_recount(system, op_token):
    """At rest: the dashboards and summaries show the recount's figures."""
    def get(path, token=None):
        r = requests.get(system.url + path, headers=auth(token or system.token), timeout=10)
        assert r.status_code == 200, r.text
        return r.json()
    dash = get("/api/admin/dashboard")["dashboard"]
    by_status = dict(system.rows("SELECT status, count(*) FROM leads WHERE is_active = 1 GROUP BY status"))
    assert dash["leadStats"]["totalLeads"] == sum(by_status.values())
    assert dash["leadStats"]["pendingLeads"] == by_status.get("pending", 0)
    assert dash["leadStats"]["failedLeads"] == by_status.get("failed", 0)
    total, answered, completed, duration = system.rows(
        "SELECT count(*), count(answer_time), coalesce(sum(status = 'completed'), 0), coalesce(sum(duration), 0) FROM calls")[0]
    assert (dash["callStats"]["totalCalls"], dash["callStats"]["answeredCalls"], dash["callStats"]["completedCalls"],
            dash["callStats"]["totalDuration"]) == (total, answered, completed, duration)
    today = system.scalar("SELECT count(*) FROM calls WHERE created_at >= (CAST(strftime('%s','now') AS INTEGER) "
                          "/ 86400) * 86400000")
    assert dash["callStats"]["todayCalls"] == today
    summary = get("/api/leads/stats/summary")["summary"]
    assert summary["total"] == sum(by_status.values()) and summary["transferred"] == by_status.get("transferred", 0)
    assert get("/api/calls/stats/summary")["summary"]["totalCalls"] == total
    status = get("/api/admin/system-status")["systemStatus"]["callQueue"]["leads"]
    assert {k: v for k, v in status.items() if v} == by_status
    mine = get("/api/operator/dashboard", op_token)["dashboard"]["personalStats"]
    op_id = get("/api/auth/me", op_token)["user"]["id"]
    assert mine["totalCalls"] == system.scalar("SELECT count(*) FROM calls WHERE operator_id = ?", op_id)


def test_counters_equal_a_recount_through_a_random_workload(counting):
    ops = operators(counting)
    work = Workload(counting, ops, seed=16)
    steps = work.run(seconds=20)
    sizes = compare_counters(counting)
    assert steps > 40 and sizes[0] > 30 and sizes[1] > 20, (steps, sizes)
    # The workload reached every counter (a recount of nothing would prove nothing).
    assert counting.scalar("SELECT count(*) FROM calls WHERE disposition IS NOT NULL") > 0
    assert counting.scalar("SELECT count(*) FROM leads WHERE timezone_source = 'unknown' AND is_active = 1") > 0
    assert counting.scalar("SELECT max(call_attempts) FROM leads") >= 1, "no retry happened"
    wait_quiet(counting)
    compare_counters(counting)
    assert_routes_match_the_recount(counting, ops[0][1])


def test_counters_equal_a_recount_after_kill_9_mid_workload(counting):
    ops = operators(counting)
    work = Workload(counting, ops, seed=61)
    work.run(seconds=8)
    counting.kill("dialer-daemon", signal.SIGKILL)
    work.run(seconds=2, compare_every=5)
    counting.kill("queue-daemon", signal.SIGKILL)
    compare_counters(counting)  # what the killed daemons committed
    counting.start("dialer-daemon")
    counting.wait_daemon("dialer-daemon")
    counting.start("queue-daemon")
    counting.wait_daemon("queue-daemon")
    work.run(seconds=8)
    sizes = compare_counters(counting)
    assert sizes[1] > 10, sizes
    wait_quiet(counting)
    compare_counters(counting)
    assert_routes_match_the_recount(counting, ops[1][1])
