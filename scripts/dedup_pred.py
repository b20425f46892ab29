#!/usr/bin/env python3
"""Turns a newsclean output directory into the dedup scorer's PRED format: {id, cluster} per
article, where a kept article's cluster is its own id and a dropped one's is its duplicate_of."""
import csv
import json
import sys
from pathlib import Path

out = Path(sys.argv[1])
for line in (out / "articles.jsonl").read_text(encoding="utf-8").splitlines():
    if line.strip():
        rec = json.loads(line)
        print(json.dumps({"id": rec["id"], "cluster": rec["id"]}))
with open(out / "duplicates.csv", newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        print(json.dumps({"id": row["id"], "cluster": row["duplicate_of"]}))
