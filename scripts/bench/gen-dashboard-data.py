#!/usr/bin/env python3
"""Writes a SQLite database for the admin dashboard benchmark straight from Python: the schema of
all three owners (taken from Sources/Shared/Database/Schema.swift, so it never drifts; each owner's
migrations are recorded as applied; an index a later migration drops and re-creates is built once, in
its final form), OPERATORS operator users, LEADS leads and CALLS calls spread
over the last DAYS days (UTC), with realistic status, priority and duration mixes. Indexes are built
after the rows are in. Deterministic for a given seed. The gateway adds its admin at start-up.
A migration whose SQL is not a literal in Schema.swift (issue 16's counters, built by Swift) is
neither run nor recorded here: the daemons run it on this file at their first start, as they
would on an existing database (dashboard-data.sh does that once). Leads get an explicit time
zone, so the queue-daemon has no zones to resolve at start-up.

Usage: gen-dashboard-data.py OUT.db [LEADS=1000000] [CALLS=2000000] [OPERATORS=40] [DAYS=90] [SEED=1]
"""
import os
import random
import re
import sqlite3
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCHEMA_SWIFT = os.path.join(ROOT, "Sources", "Shared", "Database", "Schema.swift")
LIVE_CALLS = 5  # the newest calls are in a live status (initiated, ringing, answered)


def migrations():
    """{owner: [(version, sql)]} parsed from Schema.swift's `static let <owner>Migrations` arrays."""
    text = open(SCHEMA_SWIFT, encoding="utf-8").read()
    result = {}
    for owner in ("gateway", "queue", "dialer"):
        block = re.search(r"static let %sMigrations: \[Migration\] = \[(.*?)\n    \]" % owner, text, re.S)
        if not block:
            sys.exit(f"cannot find {owner}Migrations in {SCHEMA_SWIFT}")
        found = re.findall(r'Migration\(version: (\d+), sql: """\n(.*?)"""\)', block.group(1), re.S)
        if not found:
            sys.exit(f"no migrations parsed for {owner}")
        result[owner] = [(int(v), sql) for v, sql in found]
    return result


def statements(sql):
    return [s.strip() for s in sql.split(";") if s.strip()]


class IDs:
    """Time-ordered 24-hex ids like Shared/Util/ObjectID (seconds, 5 fixed bytes, 3-byte counter)."""

    def __init__(self, rng):
        self.middle = "%010x" % rng.getrandbits(40)
        self.counter = rng.getrandbits(24)

    def make(self, millis):
        self.counter = (self.counter + 1) & 0xFFFFFF
        return "%08x%s%06x" % (millis // 1000, self.middle, self.counter)


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    out = args[0]
    defaults = [1_000_000, 2_000_000, 40, 90, 1]
    given = [int(a) for a in args[1:6]]
    leads_n, calls_n, ops_n, days, seed = given + defaults[len(given):]
    rng = random.Random(seed)
    ids = IDs(rng)
    if os.path.exists(out):
        os.remove(out)
    db = sqlite3.connect(out, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-262144")
    now = int(time.time() * 1000)
    start = now - days * 86_400_000
    indexes = []
    db.execute("BEGIN")
    for owner, migs in migrations().items():
        db.execute(f"CREATE TABLE {owner}_migrations(version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)")
        for version, sql in migs:
            for stmt in statements(sql):
                upper = stmt.upper()
                if upper.startswith("CREATE INDEX"):
                    indexes.append(stmt)  # built after the rows are in (much faster)
                elif upper.startswith("DROP INDEX"):
                    # A later migration replacing an index (dialer migration 2): drop the deferred one.
                    name = stmt.split()[-1]
                    kept = [s for s in indexes if s.split()[2] != name]
                    if len(kept) == len(indexes):
                        db.execute(stmt)
                    indexes = kept
                else:
                    db.execute(stmt)
            db.execute(f"INSERT INTO {owner}_migrations VALUES(?, ?)", (version, now))

    operators = []
    for i in range(ops_n):
        created = start - 86_400_000 + i * 1000
        uid = ids.make(created)
        operators.append(uid)
        db.execute("INSERT INTO users(id,name,email,phone,password_hash,role,is_active,is_available,last_login,"
                   "created_at,updated_at) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
                   (uid, f"Operator {i + 1}", f"op{i + 1}@bench.example", f"+998901{i:06d}", "!", "operator",
                    0 if i % 10 == 9 else 1, 1 if i % 3 else 0, now - i * 60_000, created, created))

    priorities = [("urgent", 0)] * 5 + [("high", 1)] * 20 + [("medium", 2)] * 50 + [("low", 3)] * 25
    lead_status = ["pending"] * 40 + ["claimed"] * 3 + ["calling"] * 1 + ["answered"] * 1 + ["transferred"] * 35 + ["failed"] * 20
    step = max(1, (now - start) // max(1, leads_n))
    lead_rows, lead_ids = [], []
    for n in range(leads_n):
        created = start + n * step
        lid = ids.make(created)
        lead_ids.append(lid)
        prio, rank = rng.choice(priorities)
        status = rng.choice(lead_status)
        assigned = rng.choice(operators) if status in ("claimed", "calling", "answered", "transferred") else None
        lead_rows.append((lid, f"+99891{n:07d}", f"Lead {n}", f"lead{n}@bench.example", status, prio, rank,
                          rng.randint(0, 3), assigned, 0 if n % 50 == 0 else 1, created, created))
        if len(lead_rows) == 50_000:
            insert_leads(db, lead_rows)
            lead_rows = []
    insert_leads(db, lead_rows)

    # Ended calls everywhere; only the newest few are still live (the dialer ends leftovers at start-up).
    outcomes = [("completed", True)] * 38 + [("no-answer", False)] * 25 + [("busy", False)] * 15 + \
               [("failed", False)] * 12 + [("canceled", False)] * 8 + [("failed", True)] * 2
    live = [("initiated", False), ("ringing", False), ("answered", True)]
    step = max(1, (now - start) // max(1, calls_n))
    rows = []
    for n in range(calls_n):
        created = start + n * step + rng.randint(0, max(0, step - 1))
        cid = ids.make(created)
        status, answered = rng.choice(live if n >= calls_n - LIVE_CALLS else outcomes)
        answer = created + rng.randint(3_000, 20_000) if answered else None
        duration = rng.randint(20, 900) if status == "completed" else 0
        end = (answer or created) + duration * 1000 + 5_000 if status not in ("answered", "ringing", "initiated") else None
        operator = rng.choice(operators) if rng.random() < 0.97 else None
        rows.append((cid, rng.choice(lead_ids), operator, "CA%032x" % rng.getrandbits(128),
                     "automatic" if n % 4 else "manual", status, "+998712000000", f"+99891{n % leads_n:07d}",
                     duration, created, answer, end, created, end or created))
        if len(rows) == 50_000:
            insert_calls(db, rows)
            rows = []
    insert_calls(db, rows)
    db.execute("COMMIT")
    for stmt in indexes:
        db.execute(stmt)
    db.execute("ANALYZE")
    db.close()
    print(f"{out}: {ops_n} operators, {leads_n} leads, {calls_n} calls over {days} days")


def insert_leads(db, rows):
    db.executemany("INSERT INTO leads(id,phone,name,email,status,priority,priority_rank,call_attempts,assigned_to,"
                   "is_active,created_at,updated_at,timezone,timezone_source) "
                   "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,'Asia/Tashkent','explicit')", rows)


def insert_calls(db, rows):
    db.executemany("INSERT INTO calls(id,lead_id,operator_id,twilio_call_sid,mode,status,from_number,to_number,"
                   "duration,start_time,answer_time,end_time,created_at,updated_at) "
                   "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)


if __name__ == "__main__":
    main()
