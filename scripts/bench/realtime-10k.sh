#!/usr/bin/env bash
# Realtime benchmark "mixed" (issue 16): 10,000 authenticated Socket.IO clients, half WebSocket and
# half long-polling, on a gateway at its default configuration pinned to core 0 (the Python client
# on core 1). Prints the JSON line of each round, then a summary: gateway RSS with them connected
# (< 200 MB), its CPU while they idle (< 5 % of a core), broadcast p99 (< 100 ms; WebSocket half
# by kernel receive timestamps). Env: ROUNDS (1), CLIENTS (10000), WINDOW (30 s).
source "$(dirname "$0")/realtime-lib.sh"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
realtime_rounds mixed "${ROUNDS:-1}" --clients "${CLIENTS:-10000}" --window "${WINDOW:-30}" "$@"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
if not rows:
    sys.exit("no round finished")
m = lambda k: statistics.median(r[k] for r in rows)
rss = statistics.median(max(r["rss_mb_connected"], r["rss_mb_after"]) for r in rows)
ok = all(r["ok"] for r in rows)
r0 = rows[0]
print(f"realtime 10k ({r0['websocket']} WebSocket + {r0['polling']} polling clients, medians of {len(rows)} rounds): "
      f"gateway RSS {rss:.1f} MB connected (no clients {m('reference_rss_mb_no_clients'):.1f} MB); idle CPU "
      f"{m('idle_cpu_percent'):.2f}% of a core (no clients {m('reference_cpu_percent_no_clients'):.2f}%); broadcast to all: "
      f"WebSocket p50 {m('ws_p50_ms'):.1f} ms, p99 {m('ws_p99_ms'):.1f} ms (kernel timestamps), polling p50 "
      f"{m('polling_p50_ms_client_bound'):.1f} / p99 {m('polling_p99_ms_client_bound'):.1f} ms as read by the one Python client; "
      f"missing {sum(r['ws_missing'] + r['polling_missing'] for r in rows)}, clients failed {sum(r['clients_failed'] for r in rows)}; "
      f"connect {m('connect_s'):.0f} s; PUT round trip p50 {m('reference_rest_p50_ms'):.1f} ms "
      f"(targets: RSS < 200 MB, p99 < 100 ms, idle CPU < 5%: {'met' if ok else 'MISSED'})")
sys.exit(0 if ok else 1)
PY
