#!/usr/bin/env bash
# Realtime benchmark "polling" (issue 4): builds the release binaries, pins the gateway to core 0 and
# the Python clients to core 1, and runs scripts/bench/realtime-bench.py polling (stdlib only).
# Extra arguments go to the Python script (e.g. --clients, --rounds, --window).
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release >&2
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
pin=(); command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ] && pin=(taskset -c 1)
cpu=(); [ ${#pin[@]} -gt 0 ] && cpu=(--gateway-cpu 0)
exec "${pin[@]}" python3 scripts/bench/realtime-bench.py polling --bin "$(swift build -c release --show-bin-path)" "${cpu[@]}" "$@"
