#!/usr/bin/env bash
# Runs newsclean on the seeds and on each dev set in $SHARED/data and prints the scorers' lines.
# Dev data is read in place from ../shared and never copied into the repository.
set -euo pipefail
SHARED=${SHARED:-../shared}
BIN=${BIN:-target/release/newsclean}
work=.eval
mkdir -p "$work"

echo "== seeds"
{ python3 "$SHARED/gold/score_seeds.py" output || true; } | tail -n 1

if [ -d "$SHARED/data/boilerplate/dev/docs" ]; then
  echo "== boilerplate"
  "$BIN" --quiet --input "$SHARED/data/boilerplate/dev/docs" --output "$work/boilerplate" \
    --stages normalize,boilerplate --formats jsonl
  { python3 "$SHARED/data/boilerplate/score.py" "$SHARED/data/boilerplate/dev/gold.jsonl" \
    "$work/boilerplate/articles.jsonl" || true; } | tail -n 1
fi

if [ -f "$SHARED/data/typos/dev/input.jsonl" ]; then
  echo "== typos"
  "$BIN" --quiet --input "$SHARED/data/typos/dev/input.jsonl" --output "$work/typos" \
    --stages correct --formats jsonl
  { python3 "$SHARED/data/typos/score.py" "$SHARED/data/typos/dev/input.jsonl" \
    "$SHARED/data/typos/dev/gold.jsonl" "$work/typos/articles.jsonl" || true; } | tail -n 1
fi

if [ -f "$SHARED/data/dedup/dev/docs.jsonl" ]; then
  echo "== dedup"
  "$BIN" --quiet --input "$SHARED/data/dedup/dev/docs.jsonl" --output "$work/dedup" --formats jsonl
  python3 scripts/dedup_pred.py "$work/dedup" > "$work/dedup/pred.jsonl"
  { python3 "$SHARED/data/dedup/score.py" "$SHARED/data/dedup/dev/gold.jsonl" "$work/dedup/pred.jsonl" || true; } | tail -n 1
fi
