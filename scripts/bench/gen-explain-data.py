"""Data for queue-explain.sh (issue 17): inserts N pending leads straight into an existing
database (schema made by the daemons; the queue-daemon stopped meanwhile), in the states the
explanation counts: 60 % in 40 zones whose 09:00-20:00 window is closed now and for two hours
(outside_calling_hours), 20 % in an open zone (ready), 10 % waiting to retry (next_call_time in
an hour), 5 % with an unknown zone, and DNC of them on the do-not-call list. Prints the expected
counts as JSON. Usage: gen-explain-data.py DB N DNC"""
import importlib.util
import json
import os
import sqlite3
import sys
import time
import datetime
import zoneinfo

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("gen_rules_data", os.path.join(HERE, "gen-rules-data.py"))
rules_data = importlib.util.module_from_spec(spec)
spec.loader.exec_module(rules_data)


def main():
    db, n, dnc = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    now = datetime.datetime.now(datetime.timezone.utc)
    names = sorted(z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/", "US/")))
    closed = [z for z in names if rules_data.closed_for_two_hours(z, now)][::5][:40]
    open_zone = next(z for z in names if all(
        9 <= (now + datetime.timedelta(minutes=m)).astimezone(zoneinfo.ZoneInfo(z)).hour < 19 for m in range(0, 121, 15)))
    ms = int(time.time() * 1000)
    counts = {"outside_calling_hours": 0, "ready": 0, "retry_wait": 0, "unknown_timezone": 0, "do_not_call": 0}
    con = sqlite3.connect(db, timeout=60)
    con.execute("PRAGMA journal_mode=WAL")
    rows = []
    for i in range(n):
        kind = i % 20
        zone, source, next_call = open_zone, "explicit", None
        if kind < 12:
            zone, what = closed[i % len(closed)], "outside_calling_hours"
        elif kind < 16:
            what = "ready"
        elif kind < 18:
            next_call, what = ms + 3_600_000, "retry_wait"
        elif kind < 19:
            zone, source, what = None, "unknown", "unknown_timezone"
        else:
            what = "ready"
        flagged = 1 if i < dnc else 0
        counts["do_not_call" if flagged else what] += 1
        rows.append(("%08x%010x%06x" % (ms // 1000 - 86400, 0xbe0c, i), "+99894%07d" % i, f"Lead {i}",
                     ms - 86_400_000 + i, ms, next_call, zone, source, flagged))
    con.executemany("""INSERT INTO leads(id, phone, name, created_at, updated_at, next_call_time, timezone,
                       timezone_source, do_not_call) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows)
    con.executemany("INSERT OR IGNORE INTO dnc(phone, reason, source, created_at) VALUES(?, 'bench', 'import', ?)",
                    [("+99894%07d" % i, ms) for i in range(dnc)])
    con.commit()
    con.close()
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
