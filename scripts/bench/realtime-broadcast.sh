#!/usr/bin/env bash
# Realtime benchmark "broadcast" (issue 4): builds the release binaries, pins the gateway to core 0 and
# the Python clients to core 1, and runs scripts/bench/realtime-bench.py broadcast (stdlib only)
# ROUNDS times (default 3, fresh daemons each time); prints every round's JSON line, then the medians.
# Extra arguments go to the Python script (e.g. --clients, --rounds, --window).
source "$(dirname "$0")/realtime-lib.sh"
realtime_rounds broadcast "${ROUNDS:-3}" "$@"
python3 scripts/bench/realtime-bench.py summary broadcast "$out"
