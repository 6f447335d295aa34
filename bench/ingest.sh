#!/usr/bin/env bash
# Ingest benchmark: prints throughput (MB/s, chunks/s), wall time and peak memory.
#   1. the 125 StackFAQ docs (../shared/datasets/retrieval/stackfaq/docs): wall time of a full
#      ingest with the default embedder, median of 5 cold runs (fresh index each time);
#   2. >= 10 MB of markdown: the StackFAQ and ABCD docs copied until the corpus passes 10 MB.
# Needs ../shared/datasets (skips cleanly without it). Builds the release binary first.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared/datasets/retrieval}
if [ ! -d "$SHARED/stackfaq/docs" ]; then
  echo "skip: $SHARED/stackfaq/docs not found (the public datasets live in ../shared)"; exit 0
fi
cargo build --release --quiet
BIN=target/release/supportbench
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT

peak() { # command... -> prints "seconds peak_kib"
  /usr/bin/time -f "%e %M" -o "$T/time" "$@" > "$T/out.json" 2>/dev/null
  cat "$T/time"
}

echo "== StackFAQ: 125 docs, $(du -sk "$SHARED/stackfaq/docs" | cut -f1) KiB, default embedder (hybrid) =="
runs=()
for i in 1 2 3 4 5; do
  rm -rf "$T/ix"
  s=$(date +%s.%N); $BIN ingest "$SHARED/stackfaq/docs" --index "$T/ix" --json > "$T/sfaq.json"; e=$(date +%s.%N)
  runs+=("$(echo "$e - $s" | bc -l)")
done
median=$(printf '%s\n' "${runs[@]}" | sort -n | sed -n 3p)
chunks=$(python3 -c "import json;print(json.load(open('$T/sfaq.json'))['chunks'])")
printf 'wall time, median of 5 cold runs: %.3f s  (runs: %s)\n' "$median" "$(printf '%.3f ' "${runs[@]}")"
printf 'chunks: %s  -> %.0f chunks/s\n' "$chunks" "$(echo "$chunks / $median" | bc -l)"
s=$(date +%s.%N); $BIN ingest "$SHARED/stackfaq/docs" --index "$T/ix" --json > /dev/null; e=$(date +%s.%N)
printf 're-ingest, unchanged (0 embedded): %.3f s\n' "$(echo "$e - $s" | bc -l)"

echo
echo "== >= 10 MB corpus: StackFAQ + ABCD docs, repeated =="
mkdir -p "$T/big"
n=0
while [ "$(cat "$T"/big/*/*.md 2>/dev/null | wc -c)" -lt 10500000 ]; do
  n=$((n+1)); mkdir -p "$T/big/copy$n"
  cp "$SHARED"/stackfaq/docs/*.md "$T/big/copy$n/"
  [ -d "$SHARED/abcd_guidelines_docs" ] && cp "$SHARED"/abcd_guidelines_docs/*.md "$T/big/copy$n/"
  # make each copy distinct so nothing is deduplicated away
  for f in "$T/big/copy$n"/*.md; do printf '\n\nCopy %s of this article.\n' "$n" >> "$f"; done
done
bytes=$(cat "$T"/big/*/*.md | wc -c)
files=$(ls "$T"/big/*/*.md | wc -l)
read -r secs kib < <(peak $BIN ingest "$T/big" --index "$T/bigix" --json)
chunks=$(python3 -c "import json;print(json.load(open('$T/out.json'))['chunks'])")
printf 'corpus: %d files, %.1f MB\n' "$files" "$(echo "$bytes / 1000000" | bc -l)"
printf 'ingest: %.2f s, %.1f MB/s, %.0f chunks/s (%d chunks), peak RSS %.0f MiB\n' \
  "$secs" "$(echo "$bytes / 1000000 / $secs" | bc -l)" "$(echo "$chunks / $secs" | bc -l)" "$chunks" "$(echo "$kib / 1024" | bc -l)"
read -r secs kib < <(peak $BIN ingest "$T/big" --index "$T/bigix" --json)
printf 're-ingest unchanged: %.2f s, peak RSS %.0f MiB\n' "$secs" "$(echo "$kib / 1024" | bc -l)"
echo
echo "machine: $(nproc) cores, $(uname -m); binary: release"
