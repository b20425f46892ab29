#!/usr/bin/env bash
# `make bench`: throughput and peak memory of newsclean on generated corpora.
#
# Builds release, generates the corpora if missing (bench/corpus/<N>mb, git-ignored), runs
# newsclean end to end (default stages) and per stage at each thread count, and prints a table
# (input MB, articles, wall s, MB/s, articles/s, peak RSS) plus the ratios issue 7 asks for.
#
# Knobs (environment):
#   BENCH_SIZES="10 100"     corpus sizes in MB (BENCH_SIZES="100 1000" for the 1 GB check)
#   BENCH_THREADS="1 2"      thread counts
#   BENCH_STAGES="all normalize normalize,boilerplate normalize,correct normalize,dedup"
#   BENCH_REPEAT=1           runs per cell; the fastest is kept (the machine may be shared)
#   BENCH_RUNS=bench/corpus/runs   where results (and the transient outputs) go
#   BENCH_DEDUP_SIZES="250000 1000000"   article counts for the dedup scale run ("" skips it)
#   BENCH_DROP_CACHES=1      before each run, empty the page cache (needs root) and read the input
#                            back in: every run starts with only its input cached. On a VM whose
#                            page cache is full of earlier runs' outputs, writing cost up to twice
#                            the system time.
#   CARGO_TARGET_DIR         honoured (default: target)
# Results: $BENCH_RUNS/results.tsv and results.md (the printed table).
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO=${CARGO:-cargo}
SIZES=${BENCH_SIZES:-"10 100"}
THREADS=${BENCH_THREADS:-"1 2"}
STAGES=${BENCH_STAGES:-"all normalize normalize,boilerplate normalize,correct normalize,dedup"}
REPEAT=${BENCH_REPEAT:-1}
TARGET_DIR=${CARGO_TARGET_DIR:-target}
BIN="$TARGET_DIR/release/newsclean"
GEN="$TARGET_DIR/release/examples/gen_corpus"
RUNS=${BENCH_RUNS:-bench/corpus/runs}
mkdir -p "$RUNS"

log() { printf 'bench: %s\n' "$*" >&2; }

# Peak RSS needs GNU time's -v; install it when missing (Debian/Ubuntu), else fall back to
# getrusage through Python.
TIME_MODE=gnu
if ! /usr/bin/time -v true >/dev/null 2>&1; then
    log "/usr/bin/time missing; installing the 'time' package"
    SUDO=""
    [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && SUDO=sudo
    if ! { $SUDO apt-get install -y time >/dev/null 2>&1 ||
        { $SUDO apt-get update >/dev/null 2>&1 && $SUDO apt-get install -y time >/dev/null 2>&1; }; }; then
        log "could not install 'time'; measuring peak RSS with getrusage (python3)"
        TIME_MODE=python
    fi
fi

# Runs "$@", writes the peak RSS in kB to $1's file... (first arg: output file for the RSS).
measure() {
    local rss_file=$1
    shift
    if [ "$TIME_MODE" = gnu ]; then
        /usr/bin/time -v -o "$rss_file.time" "$@"
        awk -F': ' '/Maximum resident set size/ {print $2}' "$rss_file.time" >"$rss_file"
        awk -F': ' '/Percent of CPU this job got/ {sub("%", "", $2); print $2}' "$rss_file.time" >"$rss_file.cpu"
    else
        python3 - "$rss_file" "$@" <<'EOF'
import resource, subprocess, sys
rc = subprocess.call(sys.argv[2:])
open(sys.argv[1], "w").write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
open(sys.argv[1] + ".cpu", "w").write("")
sys.exit(rc)
EOF
    fi
}

# Empties the page cache, then reads the input ($1) back in.
drop_caches() {
    sync
    if ! { echo 3 >/proc/sys/vm/drop_caches; } 2>/dev/null; then
        log "cannot drop caches (not root?); BENCH_DROP_CACHES ignored"
        BENCH_DROP_CACHES=0
        return
    fi
    find "$1" -type f -exec cat {} + >/dev/null
}

log "building release (newsclean and the corpus generator)"
$CARGO build --release --quiet --bin newsclean --example gen_corpus --example dedup_scale

for size in $SIZES; do
    dir="bench/corpus/${size}mb"
    if [ ! -f "$dir/manifest.json" ]; then
        log "generating the ${size} MB corpus in $dir"
        "$GEN" --size-mb "$size" --out "$dir"
    fi
done

# The host's speed at the time, to read the figures by: `wc -w` over the JSON Lines shards of
# the 100 MB corpus (else the first one benched; cached: the second of two passes), the floor
# issue 7 compares with. On a shared VM it moves by 10-30% within minutes, and every cell with it.
host_floor() {
    local size=100
    [ -d bench/corpus/100mb/input/jsonl ] || size=${SIZES%% *}
    local files=(bench/corpus/"$size"mb/input/jsonl/*.jsonl)
    [ -f "${files[0]}" ] || { echo '?'; return; }
    wc -w "${files[@]}" >/dev/null
    python3 - "${files[@]}" <<'EOF'
import os, subprocess, sys, time
start = time.perf_counter()
subprocess.run(["wc", "-w", *sys.argv[1:]], stdout=subprocess.DEVNULL, check=True)
seconds = time.perf_counter() - start
print(f"{sum(os.path.getsize(f) for f in sys.argv[1:]) / 1e6 / seconds:.0f} MB/s")
EOF
}

RESULTS="$RUNS/results.tsv"
printf 'size_mb\tstages\tthreads\tinput_bytes\tarticles\twall_s\trss_kb\tsec_json\tcpu_pct\n' >"$RESULTS"
# The machine may be shared: record how busy it was.
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
FLOOR_BEFORE=$(host_floor)
for size in $SIZES; do
    input="bench/corpus/${size}mb/input"
    for stages in $STAGES; do
        for threads in $THREADS; do
            best=""
            for _ in $(seq "$REPEAT"); do
                out="$RUNS/out-${size}-${threads}"
                rm -rf "$out"
                [ "${BENCH_DROP_CACHES:-0}" = 1 ] && drop_caches "$input"
                args=(--input "$input" --output "$out" --quiet --threads "$threads")
                [ "$stages" != all ] && args+=(--stages "$stages")
                log "${size} MB, stages=${stages}, threads=${threads}"
                measure "$RUNS/rss" "$BIN" "${args[@]}"
                line=$(python3 - "$out/report.json" "$size" "$stages" "$threads" "$(cat "$RUNS/rss")" \
                    "$(cat "$RUNS/rss.cpu")" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
size, stages, threads, rss, cpu = sys.argv[2:7]
cells = [size, stages, threads, r["input_bytes"], r["counts"]["read"], r["total_seconds"], rss,
         json.dumps(r["seconds"]), cpu]
print("\t".join(str(c) for c in cells))
EOF
)
                wall=$(cut -f6 <<<"$line")
                if [ -z "$best" ] || awk -v a="$wall" -v b="$(cut -f6 <<<"$best")" 'BEGIN{exit !(a<b)}'; then
                    best=$line
                fi
                # Outputs of a 1 GB run are several GB: do not keep them.
                rm -rf "$out"
            done
            printf '%s\n' "$best" >>"$RESULTS"
        done
    done
done

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
FLOOR_AFTER=$(host_floor)
python3 bench/table.py "$RESULTS" "$(nproc)" "$LOAD_BEFORE" "$LOAD_AFTER" "$FLOOR_BEFORE" "$FLOOR_AFTER" |
    tee "$RUNS/results.md"

# Dedup at scale (issue 6): fingerprint + reduce of N short synthetic articles, with peak RSS at
# two sizes so the growth with N is visible.
DEDUP_SIZES=${BENCH_DEDUP_SIZES-"250000 1000000"}
if [ -n "$DEDUP_SIZES" ]; then
    echo
    echo "| dedup scale: articles | wall (m:ss) | peak RSS MB | what it found |"
    echo "|---:|---:|---:|---|"
    for n in $DEDUP_SIZES; do
        log "dedup scale, $n articles"
        measure "$RUNS/rss" "$TARGET_DIR/release/examples/dedup_scale" "$n" >"$RUNS/dedup_scale.out" 2>&1
        summary=$(grep -E '^dedup_scale' "$RUNS/dedup_scale.out" | tail -n 1)
        wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$RUNS/rss.time" 2>/dev/null)
        echo "| $n | ${wall:-?} | $(( $(cat "$RUNS/rss") / 1024 )) | ${summary:-see $RUNS/dedup_scale.out} |"
    done
fi
