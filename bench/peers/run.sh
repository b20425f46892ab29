#!/usr/bin/env bash
# Side by side: newsclean and the Python tools users would otherwise pick, on the same corpus
# (the JSONL shards of bench/corpus/<PEER_SIZE>mb), on the same machine, in one run.
#
#   bench/peers/run.sh                 10 MB corpus
#   PEER_SIZE=100 bench/peers/run.sh   100 MB corpus (datatrove needs minutes per pipeline)
#
# Knobs: PEER_SIZE (MB, default 10), PEER_WORKERS (datatrove tasks/workers and newsclean
# --threads, default 2), PEER_SPELL_MB (symspellpy sample, default 2), PEER_REPEAT (runs of
# each newsclean cell per round, default 1; three rounds, the median of all kept),
# BENCH_DROP_CACHES=1
# (root only: before each tool, empty the page cache and read the corpus back in, so every
# tool starts from the same cache state; see bench/run.sh).
# Creates its own virtual environment bench/peers/.venv from PyPI (pinned requirements.txt).
# Results: bench/corpus/peers/results.jsonl and results.md (the printed table).
set -euo pipefail
cd "$(dirname "$0")/../.."

CARGO=${CARGO:-cargo}
SIZE=${PEER_SIZE:-10}
WORKERS=${PEER_WORKERS:-2}
SPELL_MB=${PEER_SPELL_MB:-2}
TARGET_DIR=${CARGO_TARGET_DIR:-target}
BIN="$TARGET_DIR/release/newsclean"
GEN="$TARGET_DIR/release/examples/gen_corpus"
PEERS=bench/peers
VENV="$PEERS/.venv"
PY="$VENV/bin/python"
WORK=bench/corpus/peers
log() { printf 'peers: %s\n' "$*" >&2; }

if [ ! -x "$PY" ] || ! cmp -s "$PEERS/requirements.txt" "$VENV/.installed-requirements"; then
    log "creating $VENV from PyPI (pinned $PEERS/requirements.txt)"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$PEERS/requirements.txt"
    cp "$PEERS/requirements.txt" "$VENV/.installed-requirements"
fi

log "building release (newsclean and the corpus generator)"
$CARGO build --release --quiet --bin newsclean --example gen_corpus
corpus="bench/corpus/${SIZE}mb"
if [ ! -f "$corpus/manifest.json" ]; then
    log "generating the ${SIZE} MB corpus in $corpus"
    "$GEN" --size-mb "$SIZE" --out "$corpus"
fi
data="$corpus/input/jsonl"

rm -rf "$WORK"
mkdir -p "$WORK"
RESULTS="$WORK/results.jsonl"
: >"$RESULTS"

now() { date +%s.%N; }

# Empties the page cache and reads the shards back in (BENCH_DROP_CACHES=1, root only).
fresh_cache() {
    [ "${BENCH_DROP_CACHES:-0}" = 1 ] || return 0
    sync
    if ! { echo 3 >/proc/sys/vm/drop_caches; } 2>/dev/null; then
        log "cannot drop caches (not root?); BENCH_DROP_CACHES ignored"
        BENCH_DROP_CACHES=0
        return 0
    fi
    cat "$data"/*.jsonl >/dev/null
}

# The floor: reading the bytes and counting words.
log "wc -w (the floor)"
fresh_cache
start=$(now)
cat "$data"/*.jsonl | wc -w >/dev/null
end=$(now)
bytes=$(cat "$data"/*.jsonl | wc -c)
python3 -c 'import json, sys; print(json.dumps({"tool": "wc -w", "seconds": float(sys.argv[2]) - float(sys.argv[1]),
    "bytes": int(sys.argv[3]), "docs": 0, "workers": 1}))' "$start" "$end" "$bytes" >>"$RESULTS"

# newsclean's runs take seconds, so one catches whatever the host does in those seconds,
# where a datatrove pipeline's minutes average it out: on this VM the same newsclean run
# takes from 1.4 to 2.3 s within an hour (its CPU time moves with it: the cores are slower
# at times, with no steal reported). So newsclean is sampled across the same window as the
# datatrove pipelines it is compared with: a round of every newsclean cell before datatrove's
# C4 pipeline, one between it and the MinHash pipeline, and one after, PEER_REPEAT runs per
# cell per round (default 1), each cell keeping the median of all its runs.
NEWSCLEAN_CELLS=(
    "all|newsclean (all stages)"
    "normalize,boilerplate|newsclean normalize,boilerplate"
    "normalize,dedup|newsclean normalize,dedup"
    "normalize,correct|newsclean normalize,correct"
)
newsclean_round() {
    local round=$1 cell stages out="$WORK/newsclean-out"
    for cell in "${NEWSCLEAN_CELLS[@]}"; do
        stages=${cell%%|*}
        local args=(--input "$data" --output "$out" --quiet --threads "$WORKERS")
        [ "$stages" != all ] && args+=(--stages "$stages")
        for i in $(seq "${PEER_REPEAT:-1}"); do
            log "newsclean --stages $stages --threads $WORKERS (round $round, run $i)"
            fresh_cache
            "$BIN" "${args[@]}"
            cp "$out/report.json" "$WORK/report-${stages}-$round-$i.json"
            rm -rf "$out"
        done
    done
}
newsclean_results() {
    local cell stages name
    for cell in "${NEWSCLEAN_CELLS[@]}"; do
        stages=${cell%%|*}
        name=${cell#*|}
        python3 - "$name" "$WORKERS" "$WORK/report-${stages}-"*.json >>"$RESULTS" <<'EOF2'
import json, statistics, sys
name, workers, paths = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
runs = sorted((json.load(open(p)) for p in paths), key=lambda r: r["total_seconds"])
r = runs[(len(runs) - 1) // 2]
print(json.dumps({"tool": name, "seconds": r["total_seconds"], "bytes": r["input_bytes"],
                  "docs": r["counts"]["read"], "duplicates": r["counts"]["duplicates"],
                  "workers": workers, "runs": [x["total_seconds"] for x in runs]}))
EOF2
        rm -f "$WORK/report-${stages}-"*.json
    done
}

run_peer() {
    local name=$1
    shift
    log "$name"
    fresh_cache
    if ! "$PY" "$@" >>"$RESULTS" 2>"$WORK/$name.log"; then
        log "$name failed; see $WORK/$name.log"
        tail -5 "$WORK/$name.log" >&2
    fi
}
newsclean_round 1
run_peer datatrove_c4 "$PEERS/datatrove_c4.py" "$data" "$WORK/datatrove_c4" "$WORKERS"
newsclean_round 2
run_peer datatrove_minhash "$PEERS/datatrove_minhash.py" "$data" "$WORK/datatrove_minhash" "$WORKERS"
newsclean_round 3
newsclean_results
run_peer datasketch_lsh "$PEERS/datasketch_lsh.py" "$data"
run_peer symspell "$PEERS/symspell.py" "$data" "$SPELL_MB"

python3 "$PEERS/table.py" "$RESULTS" "$(nproc)" "$SIZE" | tee "$WORK/results.md"
