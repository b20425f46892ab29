#!/usr/bin/env python3
"""Prints the `make bench` table (Markdown) and the ratios of issue 7 from results.tsv.

Usage: table.py RESULTS_TSV [CORES] [LOADAVG_BEFORE] [LOADAVG_AFTER] [FLOOR_BEFORE FLOOR_AFTER]

The floors are the host's `wc -w` speed before and after the runs (see bench/run.sh).
"""
import csv
import json
import sys


def main() -> None:
    path = sys.argv[1]
    cores = sys.argv[2] if len(sys.argv) > 2 else "?"
    load = f"; load average {sys.argv[3]} before, {sys.argv[4]} after" if len(sys.argv) > 4 else ""
    if len(sys.argv) > 6:
        load += f"; host floor (`wc -w`) {sys.argv[5]} before, {sys.argv[6]} after"
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    for r in rows:
        r["mb"] = int(r["input_bytes"]) / 1e6
        r["wall"] = float(r["wall_s"])
        r["rss_mb"] = int(r["rss_kb"]) / 1024
        r["articles"] = int(r["articles"])
        r["threads"] = int(r["threads"])
        r["size"] = int(r["size_mb"])
        r["sec"] = json.loads(r["sec_json"]) if r.get("sec_json") else {}
        r["cpu"] = f"{r['cpu_pct']}%" if r.get("cpu_pct") else "?"

    print(f"newsclean throughput ({cores} cores{load}; wall = report.json total_seconds; RSS = peak resident;")
    print("CPU = share of a core the process got, from /usr/bin/time)\n")
    print("| corpus | stages | threads | input MB | articles | wall s | MB/s | articles/s | peak RSS MB | CPU |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        w = max(r["wall"], 1e-9)
        print(
            f"| {r['size']} MB | {r['stages']} | {r['threads']} | {r['mb']:.1f} | {r['articles']} | "
            f"{r['wall']:.2f} | {r['mb'] / w:.1f} | {r['articles'] / w:.0f} | {r['rss_mb']:.0f} | {r['cpu']} |"
        )

    by = {(r["size"], r["stages"], r["threads"]): r for r in rows}
    sizes = sorted({r["size"] for r in rows})
    stages = list(dict.fromkeys(r["stages"] for r in rows))

    # Where the end-to-end time goes (wall per phase; stage_* are CPU seconds summed over threads).
    e2e = [r for r in rows if r["stages"] == "all" and r["sec"]]
    if e2e:
        keys = sorted({k for r in e2e for k in r["sec"]})
        print("\nEnd-to-end phases (pass_*/dedup/write: wall s; stage_*: CPU s over all threads)\n")
        print("| corpus | threads | " + " | ".join(keys) + " |")
        print("|---|---:|" + "---:|" * len(keys))
        for r in e2e:
            cells = " | ".join(f"{r['sec'].get(k, 0):.2f}" for k in keys)
            print(f"| {r['size']} MB | {r['threads']} | {cells} |")

    print("\nRatios")
    checks = []
    for size in sizes:
        for st in stages:
            one, two = by.get((size, st, 1)), by.get((size, st, 2))
            if one and two:
                speedup = one["wall"] / max(two["wall"], 1e-9)
                print(f"- {size} MB, {st}: 2 threads vs 1 thread = {speedup:.2f}x faster")
                if st == "all" and size == max(sizes):
                    checks.append((f"2 threads >= 1.7x 1 thread ({size} MB, all)", speedup >= 1.7, f"{speedup:.2f}x"))
    if len(sizes) >= 2:
        small, big = sizes[-2], sizes[-1]
        for t in sorted({r["threads"] for r in rows}):
            a, b = by.get((small, "all", t)), by.get((big, "all", t))
            if a and b:
                tr = b["wall"] / max(a["wall"], 1e-9)
                mr = b["rss_mb"] / max(a["rss_mb"], 1e-9)
                input_ratio = b["mb"] / a["mb"]
                print(
                    f"- all stages, {t} thread(s): {big} MB vs {small} MB: input {input_ratio:.1f}x, "
                    f"time {tr:.2f}x, peak RSS {mr:.2f}x"
                )
                if t == max(r["threads"] for r in rows):
                    checks.append((f"time {big} MB <= 1.1 x input ratio x {small} MB time", tr <= 1.1 * input_ratio, f"{tr:.2f}x"))
                    checks.append((f"peak RSS {big} MB <= 2x {small} MB", mr <= 2.0, f"{mr:.2f}x"))
    e2e_100 = by.get((100, "all", 2))
    if e2e_100:
        mbs = e2e_100["mb"] / max(e2e_100["wall"], 1e-9)
        checks.append(("100 MB, all stages, 2 threads >= 50 MB/s", mbs >= 50, f"{mbs:.1f} MB/s"))
    if checks:
        print("\nIssue 7 targets")
        for name, ok, value in checks:
            print(f"- [{'PASS' if ok else 'FAIL'}] {name}: {value}")


if __name__ == "__main__":
    main()
