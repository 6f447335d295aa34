#!/usr/bin/env bash
# Live-backend concurrency benchmark: eval --backend anthropic against a loopback fake API with a
# fixed latency (bench/live_mock.py), no cache. Prints wall time, the calls the server saw, the
# most requests it had in flight, and the ratio wall / (calls × latency / N): 1.0 is perfect
# overlap; the target is ≤ 1.15. Conversations run in parallel, turns (and stages) in order, so
# the tail of the last conversations is what keeps the ratio above 1.
#   LATENCY=0.2 CONCURRENCY="4 8 16" bench/live_concurrency.sh
set -euo pipefail
cd "$(dirname "$0")/.."
LATENCY=${LATENCY:-0.2}
CONCURRENCY=${CONCURRENCY:-"4 8 16"}
TICKETS=${TICKETS:-datasets/ledgerleaf/tickets.csv}
DOCS=${DOCS:-datasets/ledgerleaf/docs}
# PROFILE=dev reuses a debug build (dependencies are optimised in the dev profile; the run is
# I/O-bound either way).
PROFILE=${PROFILE:-release}
cargo build --profile "$PROFILE" --quiet
DIR=$([ "$PROFILE" = dev ] && echo debug || echo "$PROFILE")
BIN=${CARGO_TARGET_DIR:-target}/$DIR/supportbench
T=$(mktemp -d)
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT

python3 bench/live_mock.py --latency "$LATENCY" --max-seconds 900 > "$T/port" &
PID=$!
for _ in $(seq 50); do [ -s "$T/port" ] && break; sleep 0.1; done
PORT=$(head -1 "$T/port")
$BIN ingest "$DOCS" --index "$T/ix" --json > /dev/null

echo "tickets: $TICKETS; latency ${LATENCY}s per call; fake API on 127.0.0.1:$PORT"
printf '%-12s %-10s %-8s %-14s %-10s %s\n' concurrency wall_s calls max_in_flight ideal_s ratio
for N in $CONCURRENCY; do
  curl -s "127.0.0.1:$PORT/reset" > /dev/null
  s=$(date +%s.%N)
  ANTHROPIC_API_KEY=bench-key ANTHROPIC_BASE_URL="http://127.0.0.1:$PORT" \
    $BIN eval "$TICKETS" --index "$T/ix" --backend anthropic --no-cache --concurrency "$N" \
    --out "$T/out" --quiet > /dev/null
  e=$(date +%s.%N)
  read -r calls max < <(curl -s "127.0.0.1:$PORT/stats" | python3 -c 'import json,sys;d=json.load(sys.stdin);print(d["requests"],d["max_in_flight"])')
  python3 - "$s" "$e" "$calls" "$LATENCY" "$N" "$max" <<'PY'
import sys
s, e, calls, lat, n, mx = map(float, sys.argv[1:])
wall = e - s
ideal = calls * lat / n
print(f"{int(n):<12} {wall:<10.2f} {int(calls):<8} {int(mx):<14} {ideal:<10.2f} {wall/ideal:.3f}")
PY
done
echo "machine: $(nproc) cores; binary: $PROFILE"
