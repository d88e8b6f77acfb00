#!/usr/bin/env bash
# Realtime benchmark "broadcast" (issue 4): builds the release binaries, pins the gateway to core 0 and
# the Python clients to core 1, and runs scripts/bench/realtime-bench.py broadcast (stdlib only)
# ROUNDS times (default 3, fresh daemons each time); prints every round's JSON line, then the medians.
# Extra arguments go to the Python script (e.g. --clients, --rounds, --window).
source "$(dirname "$0")/realtime-lib.sh"
realtime_rounds broadcast "${ROUNDS:-3}" "$@"
python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
if not rows:
    sys.exit("no round finished")
m = lambda k: statistics.median(r[k] for r in rows)
rss = statistics.median(max(r["rss_mb_connected"], r["rss_mb_after"]) for r in rows)
missing = sum(r["missing"] for r in rows)
ok = m("p99_ms") < 20 and missing == 0 and rss < 150
print(f"realtime broadcast ({rows[0]['clients']} WebSocket clients, {rows[0]['rounds']} broadcasts a round, medians of "
      f"{len(rows)} rounds): p50 {m('p50_ms'):.1f} ms, p99 {m('p99_ms'):.1f} ms (rounds {[r['p99_ms'] for r in rows]}), "
      f"missing {missing}; gateway RSS {rss:.1f} MB with them connected; reference: the REST round trip of the PUT "
      f"that causes the broadcast p50 {m('reference_rest_p50_ms'):.1f} ms, RSS without sockets "
      f"{m('reference_rss_mb_no_clients'):.1f} MB (targets: p99 < 20 ms (issue 16), RSS < 150 MB: {'met' if ok else 'MISSED'})")
sys.exit(0 if ok else 1)
PY
