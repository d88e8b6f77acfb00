# The database of the dashboard benchmarks (sourced after lib.sh by dashboard.sh and
# dashboard-live.sh): LEADS (1,000,000) leads and CALLS (2,000,000) calls written straight into a
# SQLite file by gen-dashboard-data.py, then migrated by the real queue-daemon and dialer-daemon,
# as an existing database is at an upgrade: their migrations 16 create the counters (issue 16)
# and count every row once. The result is cached in $CACHE between runs (~1.2 GB; the name carries
# a hash of Schema.swift and the generator, so a schema change never reuses a stale file) and
# copied to $BENCH_DIR/ibrat.db. Prints how long the migration took.
LEADS="${LEADS:-1000000}"; CALLS="${CALLS:-2000000}"
SCHEMA_HASH=$(cat "$ROOT/Sources/Shared/Database/Schema.swift" "$ROOT/Sources/Shared/Counts/"*.swift \
  "$ROOT/scripts/bench/gen-dashboard-data.py" | sha256sum | cut -c1-12)
CACHE="${CACHE:-/tmp/ibrat-bench-dashboard-$LEADS-$CALLS-$SCHEMA_HASH.db}"
migrated() { # owner: whether its migration 16 is recorded
  python3 -c 'import sqlite3,sys; c=sqlite3.connect(f"file:{sys.argv[1]}?mode=ro",uri=True,timeout=30)
try: sys.exit(0 if c.execute(f"SELECT 1 FROM {sys.argv[2]}_migrations WHERE version=16").fetchone() else 1)
except sqlite3.Error: sys.exit(1)' "$BENCH_DIR/ibrat.db" "$1"
}
if [ ! -s "$CACHE" ]; then
  echo "generating $LEADS leads and $CALLS calls into $CACHE (takes a few minutes)..." >&2
  python3 "$ROOT/scripts/bench/gen-dashboard-data.py" "$BENCH_DIR/ibrat.db" "$LEADS" "$CALLS" >&2
  # One daemon after the other: each one's start-up writes wait only the usual 5 s for the lock,
  # which the other's migration holds for longer on this much data (under systemd the daemon
  # that gave up is restarted and goes on; here we time each migration alone).
  for d in queue dialer; do
    m0=$EPOCHREALTIME
    start_daemon "$d-daemon"
    until migrated "$d"; do
      kill -0 "${PIDS[$d-daemon]}" 2>/dev/null || { echo "$d-daemon exited while migrating" >&2; exit 1; }
      sleep 0.1
    done
    m1=$EPOCHREALTIME
    kill -TERM "${PIDS[$d-daemon]}"; wait "${PIDS[$d-daemon]}" 2>/dev/null || true; unset "PIDS[$d-daemon]"
    echo "$d-daemon migration 16 (counters from a recount of $LEADS leads / $CALLS calls, within its start):" \
      "$(python3 -c "print(f'{$m1 - $m0:.1f}')") s" >&2
  done
  sqlite3 "$BENCH_DIR/ibrat.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
  cp "$BENCH_DIR/ibrat.db" "$CACHE.tmp" && mv "$CACHE.tmp" "$CACHE"
else
  cp "$CACHE" "$BENCH_DIR/ibrat.db"
fi
