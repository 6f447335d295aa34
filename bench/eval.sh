#!/usr/bin/env bash
# Offline eval benchmark: turns/s and peak memory as the ticket count grows.
# Tickets: ../shared/datasets/intent/intent_banking77_test.csv (3,080 rows) repeated with fresh ids
# to 10k, 50k and 100k rows (each row its own conversation); classifier trained on
# intent_banking77_train.csv; index: the bundled sample product's docs, built once beforehand.
# Prints, per size: wall time, turns/s over the whole command and over the replay alone (the
# whole command minus the fixed setup measured on a 100-row file), and peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
D=${SHARED_DATASETS:-../shared/datasets}
TEST="$D/intent/intent_banking77_test.csv"; TRAIN="$D/intent/intent_banking77_train.csv"
if [ ! -f "$TEST" ]; then echo "skip: $TEST not found (the public datasets live in ../shared)"; exit 0; fi
cargo build --release --quiet
BIN=target/release/supportbench
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
$BIN ingest datasets/ledgerleaf/docs --index "$T/index" --json > /dev/null

make_tickets() { # rows -> file
  python3 - "$TEST" "$1" "$T/t$1.csv" <<'PY'
import csv, sys
src, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rows = list(csv.DictReader(open(src, encoding="utf-8")))
with open(out, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f); w.writerow(["ticket_id", "message", "expected_intent"])
    for i in range(n):
        r = rows[i % len(rows)]
        w.writerow([f"b77-{i}", r["message"], r["expected_intent"]])
PY
}

run() { # rows -> "secs kib"
  /usr/bin/time -f "%e %M" -o "$T/time" $BIN eval "$T/t$1.csv" --index "$T/index" --train "$TRAIN" --out "$T/out$1" --quiet
  cat "$T/time"
}

make_tickets 100
read -r base _ < <(run 100)
printf 'setup (config, index, training the classifier on %s rows, reports), measured on 100 tickets: %.2f s\n' "$(($(wc -l < "$TRAIN") - 1))" "$base"
printf '%8s %9s %14s %16s %10s\n' rows wall_s turns/s_total turns/s_replay peak_MiB
for n in 10000 50000 100000; do
  make_tickets $n
  read -r secs kib < <(run $n)
  replay=$(echo "$secs - $base" | bc -l)
  printf '%8d %9.2f %14.0f %16.0f %10.0f\n' "$n" "$secs" "$(echo "$n / $secs" | bc -l)" "$(echo "$n / $replay" | bc -l)" "$(echo "$kib / 1024" | bc -l)"
done
echo "machine: $(nproc) cores; binary: release; backend: offline"
