#!/usr/bin/env bash
# A/B comparison of two newsclean binaries on the same input, for changes too small to see in
# single runs: on this VM the same run's time moves by ±20% within minutes, so the two
# binaries run alternately (the order swapped every pair) and what is reported is the ratio
# B/A within each pair, whose median takes much of the host's drift out (not all: repeat a
# comparison before trusting a difference of 1-2%).
#
#   bench/ab.sh PAIRS A B [INPUT] [THREADS]
#
# INPUT defaults to the JSONL shards of the 100 MB corpus (make bench generates it), THREADS
# to 2. Prints the median and mean of the per-pair wall and CPU (user + system) ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
PAIRS=${1:?pairs} A=${2:?binary A} B=${3:?binary B}
INPUT=${4:-bench/corpus/100mb/input/jsonl}
THREADS=${5:-2}
[ "$A" != "$B" ] || { echo "ab: A and B must be different paths (copy the binary)" >&2; exit 1; }
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "ab: needs GNU time at $TIME (make bench installs it)" >&2; exit 1; }
out=$(mktemp -d)
log="$out/runs.log"
trap 'rm -rf "$out"' EXIT
for i in $(seq "$PAIRS"); do
    if [ $((i % 2)) = 0 ]; then order=("$A" "$B"); else order=("$B" "$A"); fi
    for bin in "${order[@]}"; do
        rm -rf "$out/o"
        "$TIME" -f "$bin %e %U %S" -a -o "$log" "$bin" --input "$INPUT" --output "$out/o" \
            --threads "$THREADS" --quiet
    done
done
python3 - "$A" "$B" "$log" <<'PY'
import statistics as st
import sys

a, b, log = sys.argv[1:]
rows = [line.split() for line in open(log)]
pairs = []
for k in range(0, len(rows) - 1, 2):
    run = {r[0]: (float(r[1]), float(r[2]) + float(r[3])) for r in rows[k:k + 2]}
    pairs.append((run[b][0] / run[a][0], run[b][1] / run[a][1]))
wall = [p[0] for p in pairs]
cpu = [p[1] for p in pairs]
print(f"B/A over {len(pairs)} pairs: wall median {st.median(wall):.3f} mean {st.mean(wall):.3f}; "
      f"CPU median {st.median(cpu):.3f} mean {st.mean(cpu):.3f}")
PY
