#!/usr/bin/env python3
"""Prints the peers table (Markdown) and newsclean's speed ratios from results.jsonl.

Usage: table.py RESULTS_JSONL [CORES] [CORPUS_MB]
"""
import json
import sys

# Which newsclean run does the same job as each peer (for the like-for-like ratio).
MATCH = {
    "datatrove C4QualityFilter": "newsclean normalize,boilerplate",
    "datatrove MinHash dedup (4 stages)": "newsclean normalize,dedup",
    "datasketch MinHashLSH": "newsclean normalize,dedup",
    "symspellpy lookup (edit distance 2)": "newsclean normalize,correct",
}
E2E = "newsclean (all stages)"


def main() -> None:
    rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
    cores = sys.argv[2] if len(sys.argv) > 2 else "?"
    corpus = sys.argv[3] if len(sys.argv) > 3 else "?"
    # The floor and newsclean's rows first, then the peers in the order they ran (newsclean's
    # results are written last: its runs are spread over the peers' window).
    rows.sort(key=lambda r: 0 if r["tool"] == "wc -w" else 1 if r["tool"].startswith("newsclean") else 2)
    by = {r["tool"]: r for r in rows}
    for r in rows:
        r["mbps"] = r["bytes"] / 1e6 / max(r["seconds"], 1e-9)
    e2e = by.get(E2E)

    print(f"Peers on the JSONL shards of the {corpus} MB corpus ({cores} cores, same run)\n")
    print("| tool | workers | input MB | seconds | MB/s | newsclean all stages is … faster | same-job newsclean is … faster |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        ratio = f"{e2e['mbps'] / r['mbps']:.3g}x" if e2e and not r["tool"].startswith("newsclean") else ""
        match = by.get(MATCH.get(r["tool"], ""))
        same = f"{match['mbps'] / r['mbps']:.1f}x ({match['tool'].removeprefix('newsclean ')})" if match else ""
        note = " (sample)" if r.get("sample") else ""
        print(
            f"| {r['tool']}{note} | {r.get('workers', '')} | {r['bytes'] / 1e6:.1f} | {r['seconds']:.2f} | "
            f"{r['mbps']:.2f} | {ratio} | {same} |"
        )
    spell = by.get("symspellpy lookup (edit distance 2)")
    if spell:
        print(f"\nsymspellpy: {spell['tokens']} tokens looked up; dictionary load {spell['dictionary_load_seconds']:.1f} s not included.")
    if e2e and e2e.get("runs"):
        runs = " / ".join(f"{t:.2f}" for t in e2e["runs"])
        print(f"\nnewsclean all stages: median of {len(e2e['runs'])} runs spread over the datatrove pipelines' window: {runs} s.")
    c4, mh = by.get("datatrove C4QualityFilter"), by.get("datatrove MinHash dedup (4 stages)")
    if e2e and c4 and mh:
        # Same input bytes for all three, so the ratio of times is the ratio of speeds.
        ratio = (c4["seconds"] + mh["seconds"]) / max(e2e["seconds"], 1e-9)
        status = "PASS" if ratio >= 100 else "FAIL"
        print(f"\n[{status}] newsclean all stages vs datatrove C4 + MinHash (times added): {ratio:.1f}x (target >= 100x)")
    wc = by.get("wc -w")
    if e2e and wc:
        print(f"newsclean all stages runs at {e2e['mbps'] / wc['mbps'] * 100:.1f}% of the wc -w floor ({wc['mbps']:.0f} MB/s)")


if __name__ == "__main__":
    main()
