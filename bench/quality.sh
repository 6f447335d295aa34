#!/usr/bin/env bash
# Quality benchmark: runs `supportbench eval` (offline backend, default config) on public labelled
# data nobody on this project wrote (../shared/datasets) and on the bundled products, and prints
# one table. Not part of `cargo test`. Skips the public sets cleanly when ../shared is absent.
#   EMBEDDER=hybrid-neural bench/quality.sh   also runs StackFAQ, its mixed-scope sets and every
#   product with that embedder (needs the neural feature and SUPPORTBENCH_NEURAL_MODEL; see
#   docs/neural-embedder.md)
set -euo pipefail
cd "$(dirname "$0")/.."
D=${SHARED_DATASETS:-../shared/datasets}
FEATURES=${FEATURES:-}
cargo build --release --quiet ${FEATURES:+--features "$FEATURES"}
BIN=${CARGO_TARGET_DIR:-target}/release/supportbench
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
rows=()

run() { # name, then eval args
  local name=$1; shift
  local out="$T/$name"
  local t0; t0=$(date +%s.%N)
  if $BIN eval "$@" --out "$out" --quiet; then :; else echo "eval failed for $name" >&2; return; fi
  local secs; secs=$(echo "$(date +%s.%N) - $t0" | bc -l)
  rows+=("$(python3 - "$out/metrics.json" "$name" "$secs" <<'PY'
import json, sys
m = json.load(open(sys.argv[1])); name = sys.argv[2]; secs = float(sys.argv[3])
f = lambda v: "—" if v is None else f"{v:.3f}"
e, r, i = m["escalation"], m["retrieval"], m["intent"]
print("|".join([name, str(m["counts"]["turns"]), f(i["accuracy"]), f(i["macro_f1"]), f(e["f1"]), f(e["precision"]), f(e["recall"]),
                f(e["turn_rate"]), f(e["expected_turn_rate"]), f(r["recall_at_k"]), f(r["mrr"]), f(r["miss_rate"]),
                f(i.get("calibration_error")), f(e.get("confidence_calibration_error")), f"{secs:.1f}"]))
PY
)")
}

if [ -d "$D" ]; then
  SF="$D/retrieval/stackfaq"
  $BIN ingest "$SF/docs" --index "$T/sfaq" --json > /dev/null
  run banking77-4way "$D/intent/intent_banking77_test.csv" --index "$T/sfaq" --train "$D/intent/intent_banking77_train.csv"
  run stackfaq "$SF/queries.csv" --index "$T/sfaq"
  run stackfaq-mixed-scope "$SF/mixed_scope.csv" --index "$T/sfaq"
  # The validation set escalation settings were chosen on (no row of mixed_scope.csv).
  SHARED_DATASETS="$D" python3 bench/mixval.py "$T/mixval.csv"
  run stackfaq-mixed-scope-validation "$T/mixval.csv" --index "$T/sfaq"
  if [ -n "${EMBEDDER:-}" ]; then
    $BIN ingest "$SF/docs" --index "$T/sfaq-$EMBEDDER" --embedder "$EMBEDDER" --json > /dev/null
    run "stackfaq-$EMBEDDER" "$SF/queries.csv" --index "$T/sfaq-$EMBEDDER"
    run "stackfaq-mixed-scope-$EMBEDDER" "$SF/mixed_scope.csv" --index "$T/sfaq-$EMBEDDER"
    run "stackfaq-mixed-scope-validation-$EMBEDDER" "$T/mixval.csv" --index "$T/sfaq-$EMBEDDER"
  fi
else
  echo "note: $D not found: public datasets skipped" >&2
fi
for p in datasets/*/; do
  p=${p%/}; name=$(basename "$p")
  [ -f "$p/tickets.csv" ] || continue
  train=(); [ -f "$p/train.csv" ] && train=(--train "$p/train.csv")
  run "$name" "$p/tickets.csv" --docs "$p/docs" --index "$T/ix-$name" "${train[@]}"
  if [ -n "${EMBEDDER:-}" ]; then
    run "$name-$EMBEDDER" "$p/tickets.csv" --docs "$p/docs" --index "$T/ix-$name-$EMBEDDER" \
      --embedder "$EMBEDDER" "${train[@]}"
  fi
done

echo
echo "| set | turns | intent acc | macro F1 | esc F1 | esc P | esc R | esc turn rate | labelled rate | recall@3 | MRR | miss rate | intent ECE | response ECE | s |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for r in "${rows[@]}"; do echo "| ${r//|/ | } |"; done
echo
echo "offline backend, default config, release build, $(nproc) cores; datasets: $D and datasets/"
