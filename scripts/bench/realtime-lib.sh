# Shared by the realtime benchmark wrappers: release binaries (or IBRAT_BENCH_BIN_DIR), the fd
# limit raised, the Python client pinned to core 1 and the gateway to core 0 when there are two.
# `realtime_rounds MODE N [args]` runs realtime-bench.py MODE N times, every JSON line into $out.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
[ -n "${IBRAT_BENCH_BIN_DIR:-}" ] || swift build -c release >&2
RT_BIN="${IBRAT_BENCH_BIN_DIR:-$(swift build -c release --show-bin-path)}"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
pin=(); command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ] && pin=(taskset -c 1)
cpu=(); [ ${#pin[@]} -gt 0 ] && cpu=(--gateway-cpu 0)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
realtime_rounds() {
  local mode=$1 n=$2
  shift 2
  for _ in $(seq 1 "$n"); do
    "${pin[@]}" python3 scripts/bench/realtime-bench.py "$mode" --bin "$RT_BIN" "${cpu[@]}" "$@" | tee -a "$out" || true
  done
}
